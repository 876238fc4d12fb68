import { buildLedgerLines, type MedusaPaymentRow } from "../../../ledger/ledger-lines"
import { selectLedgerLines } from "../order-ledger"

const T0 = "2026-11-20T10:00:00.000Z"
const at = (minutes: number) => new Date(Date.parse(T0) + minutes * 60_000).toISOString()

function payment(
  id: string,
  captures: MedusaPaymentRow["captures"],
  refunds: MedusaPaymentRow["refunds"]
): MedusaPaymentRow {
  return {
    id,
    provider_id: "pp_stripe_stripe",
    currency_code: "usd",
    amount: 70,
    created_at: T0,
    captures,
    refunds,
    data: { gateway: "stripe", id: `pi_${id}`, reference: `pi_${id}`, status: "authorized", captures: [], refunds: [] },
  }
}

describe("selectLedgerLines: which rows a write touches", () => {
  const lines = buildLedgerLines("o", [
    payment(
      "pay_1",
      [
        { id: "capt_1", amount: 30, created_at: at(1) },
        { id: "capt_2", amount: 40, created_at: at(2) },
      ],
      [{ id: "ref_1", amount: 10, created_at: at(3) }]
    ),
    payment("pay_2", [{ id: "capt_3", amount: 70, created_at: at(4) }], []),
  ])
  const ids = (target: Parameters<typeof selectLedgerLines>[1]) =>
    selectLedgerLines(lines, target).map((l) => l.source_id)

  it("a new refund: itself, its capture and the authorization, parents first; nothing of other captures or payments", () => {
    expect(ids({ source_ids: ["ref_1"] })).toEqual(["pay_1", "capt_2", "ref_1"])
  })

  it("a new capture: itself and its authorization; a void: the authorization alone", () => {
    expect(ids({ source_ids: ["capt_3"] })).toEqual(["pay_2", "capt_3"])
    expect(ids({ source_ids: ["pay_2"] })).toEqual(["pay_2"])
  })

  it("every line of a payment; nothing for an unknown id", () => {
    expect(ids({ payment_ids: ["pay_1"] })).toEqual(["pay_1", "capt_1", "capt_2", "ref_1"])
    expect(ids({ source_ids: ["capt_unknown"] })).toEqual([])
    expect(ids({})).toEqual([])
  })
})
