import { ledgerTransactionId } from "../ledger-ids"
import { statusHistory } from "../ledger-history"
import { buildLedgerLines, type DisputeState, type MedusaPaymentRow } from "../ledger-lines"
import { toTransactionView } from "../transaction-view"

const T0 = "2026-11-20T10:00:00.000Z"
const at = (minutes: number) => new Date(Date.parse(T0) + minutes * 60_000).toISOString()

function payment(overrides: Partial<MedusaPaymentRow> & { data?: Record<string, unknown> } = {}): MedusaPaymentRow {
  const { data, ...rest } = overrides
  return {
    id: "pay_1",
    provider_id: "pp_stripe_stripe",
    currency_code: "usd",
    amount: 70,
    created_at: T0,
    canceled_at: null,
    captures: [],
    refunds: [],
    ...rest,
    data: {
      gateway: "stripe",
      id: "pi_1",
      reference: "pi_1",
      authorization_id: null,
      currency: "usd",
      amount: 7000,
      status: "authorized",
      psp_status: "requires_capture",
      custom_reference: null,
      expires_at: at(7 * 24 * 60),
      captures: [],
      refunds: [],
      ...data,
    },
  }
}

const bySource = (lines: ReturnType<typeof buildLedgerLines>) => new Map(lines.map((l) => [l.source_id, l]))

describe("ledgerTransactionId", () => {
  it("is potx_ and 26 Crockford base32 characters, the same for the same Medusa id, different for another", () => {
    const id = ledgerTransactionId("capt_01JABCDEF")
    expect(id).toMatch(/^potx_[0-9A-HJKMNP-TV-Z]{26}$/)
    expect(ledgerTransactionId("capt_01JABCDEF")).toBe(id)
    expect(ledgerTransactionId("capt_01JABCDEG")).not.toBe(id)
    expect(ledgerTransactionId("ref_1~1")).not.toBe(ledgerTransactionId("ref_1"))
  })
})

describe("status_at: when a line's status changed, from Medusa's and the PSP's timestamps", () => {
  it("an authorization: created_at while authorized, the capture that closed it, canceled_at, the expiry", () => {
    expect(buildLedgerLines("o", [payment()])[0].status_at).toBe(T0)
    const captured = buildLedgerLines("o", [
      payment({
        captures: [
          { id: "capt_1", amount: 30, created_at: at(5) },
          { id: "capt_2", amount: 40, created_at: at(9) },
        ],
      }),
    ])
    expect(captured[0]).toMatchObject({ detailed_status: "completed", status_at: at(9) })
    expect(captured[1]).toMatchObject({ detailed_status: "completed", status_at: at(5) })
    const canceled = buildLedgerLines("o", [payment({ canceled_at: at(3) })])[0]
    expect(canceled).toMatchObject({ detailed_status: "voided", status_at: at(3) })
    const expired = buildLedgerLines("o", [payment({ data: { status: "expired", expires_at: at(60) } })])[0]
    expect(expired).toMatchObject({ detailed_status: "expired_uncaptured_charge", status_at: at(60) })
    const unknownExpiry = buildLedgerLines("o", [payment({ data: { status: "expired", expires_at: null } })])[0]
    expect(unknownExpiry.status_at).toBeNull()
  })

  it("a capture: its last live refund; a refund: its created_at, unknown once failed", () => {
    const lines = bySource(
      buildLedgerLines("o", [
        payment({
          captures: [{ id: "capt_1", amount: 70, created_at: at(5) }],
          refunds: [
            { id: "ref_1", amount: 10, created_at: at(7) },
            { id: "ref_2", amount: 20, created_at: at(8) },
          ],
          data: {
            captures: [{ id: "pi_1", medusa_capture_id: "capt_1", amount: 7000, final: true, created_at: at(5) }],
            refunds: [
              {
                id: "re_1",
                medusa_refund_id: "ref_1",
                amount: 1000,
                capture_id: "pi_1",
                source: "plugin",
                status: "succeeded",
                created_at: at(7),
              },
              {
                id: "re_2",
                medusa_refund_id: "ref_2",
                amount: 2000,
                capture_id: "pi_1",
                source: "plugin",
                status: "failed",
                created_at: at(8),
              },
            ],
          },
        }),
      ])
    )
    expect(lines.get("capt_1")).toMatchObject({ detailed_status: "partially-refunded", status_at: at(7) })
    expect(lines.get("ref_1")).toMatchObject({ status: "complete", status_at: at(7) })
    expect(lines.get("ref_2")).toMatchObject({ status: "failed", status_at: null })
  })

  it("a dispute: opened_at while open, closed_at once lost or won", () => {
    const captures = [{ id: "capt_1", amount: 70, created_at: at(5) }]
    const open: DisputeState = {
      payment_id: "pay_1",
      capture_id: "capt_1",
      open: true,
      outcome: null,
      opened_at: at(20),
    }
    const [auth, capture] = buildLedgerLines("o", [payment({ captures })], [open])
    expect(auth).toMatchObject({ detailed_status: "chargeback-initiated", status_at: at(20) })
    expect(capture).toMatchObject({ detailed_status: "chargeback-initiated", status_at: at(20) })
    const lost = { ...open, open: false, outcome: "lost" as const, closed_at: at(90) }
    expect(buildLedgerLines("o", [payment({ captures })], [lost])[1]).toMatchObject({
      detailed_status: "reversed",
      status_at: at(90),
    })
    const won = { ...open, open: false, outcome: "won" as const, closed_at: at(95) }
    const [wonAuth, wonCapture] = buildLedgerLines("o", [payment({ captures })], [won])
    expect(wonCapture).toMatchObject({ detailed_status: "completed", status_at: at(95) })
    expect(wonAuth).toMatchObject({ detailed_status: "completed", status_at: at(95) })
  })
})

describe("statusHistory", () => {
  it("a line not written yet: its status when created, then its current one when the status changed", () => {
    const [auth] = buildLedgerLines("o", [payment()])
    expect(statusHistory(auth, null)).toEqual([{ status: "complete", detailed_status: "authorized", at: T0 }])
    const [canceled] = buildLedgerLines("o", [payment({ canceled_at: at(3) })])
    expect(statusHistory(canceled, [])).toEqual([
      { status: "complete", detailed_status: "authorized", at: T0 },
      { status: "canceled", detailed_status: "voided", at: at(3) },
    ])
  })

  it("a stored history is kept as it is while the status holds, and gets the change appended when it does not", () => {
    const stored = [{ status: "complete" as const, detailed_status: "authorized", at: T0 }]
    const [auth] = buildLedgerLines("o", [payment()])
    expect(statusHistory(auth, stored, "2030-01-01T00:00:00.000Z")).toBe(stored)
    const [captured] = buildLedgerLines("o", [payment({ captures: [{ id: "capt_1", amount: 70, created_at: at(4) }] })])
    expect(statusHistory(captured, stored, "2030-01-01T00:00:00.000Z")).toEqual([
      ...stored,
      { status: "complete", detailed_status: "completed", at: at(4) },
    ])
  })

  it("a change no timestamp tells: at the write's time, or for a read the latest time known", () => {
    const stored = [{ status: "complete" as const, detailed_status: "authorized", at: at(1) }]
    const [expired] = buildLedgerLines("o", [payment({ data: { status: "expired", expires_at: null } })])
    expect(statusHistory(expired, stored, "2030-01-01T00:00:00.000Z").at(-1)).toEqual({
      status: "complete",
      detailed_status: "expired_uncaptured_charge",
      at: "2030-01-01T00:00:00.000Z",
    })
    expect(statusHistory(expired, stored).at(-1)?.at).toBe(at(1))
  })
})

describe("toTransactionView", () => {
  it("answers the same whether read twice or after the write: timestamps come from the records", () => {
    const [, capture] = buildLedgerLines("o", [
      payment({ captures: [{ id: "capt_1", amount: 70, created_at: at(4) }] }),
    ])
    const identity = {
      id: ledgerTransactionId("capt_1"),
      parent_id: ledgerTransactionId("pay_1"),
      status_history: statusHistory(capture, null),
    }
    const view = toTransactionView(capture, identity)
    expect(view).toMatchObject({
      id: identity.id,
      relationships: { parent: { data: { type: "transaction", id: ledgerTransactionId("pay_1") } } },
      meta: {
        timestamps: { created_at: at(4), updated_at: at(4) },
        status_history: [{ status: "complete", detailed_status: "completed", at: at(4) }],
      },
    })
    expect(toTransactionView(capture, identity)).toEqual(view)
  })
})
