/**
 * The capture planner: how much, final or not, the custom reference, manual captures, and the lost-answer recovery.
 * Pure: it takes the record, the amount Medusa or the workflow decided, the options and the PSP's state, and returns
 * the plan the provider executes.
 */
import fc from "fast-check"
import type { InstructionOptions } from "../../modules/payment-orchestrator/instruction-store"
import { withCapture } from "../../payment-record/record"
import type { PaymentRecord } from "../../payment-record/schema"
import {
  planCapture,
  planLostCapture,
  pspCapturedAmount,
  type CapturePlan,
  type CapturePlanInput,
  type LostCaptureInput,
} from "../capture-planner"
import { leftToCapture } from "../rules"
import { authorizationArb, captureRecord, money, NOW, paymentRecord } from "./fixtures"

function plan(overrides: Partial<CapturePlanInput> = {}): CapturePlan {
  return planCapture({
    record: paymentRecord({ custom_reference: "ORDER-7" }),
    medusa_capture_id: "capt_new",
    amount: 10000,
    options: {},
    default_statement_descriptor: null,
    money,
    gateway: "stripe",
    now: NOW,
    ...overrides,
  })
}

function expectKind<K extends CapturePlan["kind"]>(p: CapturePlan, kind: K): Extract<CapturePlan, { kind: K }> {
  expect(p.kind).toBe(kind)
  return p as Extract<CapturePlan, { kind: K }>
}

describe("planCapture", () => {
  describe("idempotency", () => {
    it("does nothing for a Medusa capture already recorded (a retried call), whatever is left", () => {
      const record = paymentRecord({
        captures: [captureRecord("A", 10000, { medusa_capture_id: "capt_A", final: true })],
      })
      expect(plan({ record, medusa_capture_id: "capt_A", amount: 10000 })).toEqual({ kind: "already_recorded" })
    })

    it("never matches a capture without Medusa id to a call without one", () => {
      const record = paymentRecord({ captures: [captureRecord("A", 4000, { medusa_capture_id: null })] })
      expect(plan({ record, medusa_capture_id: null, amount: 1000 }).kind).toBe("capture")
    })
  })

  describe("refusals (nothing moves)", () => {
    it("refuses when Medusa's capture row could not be read to learn the amount", () => {
      const p = expectKind(plan({ amount: null }), "refuse")
      expect(p.type).toBe("unexpected_state")
      expect(p.message).toContain("capt_new")
      expect(p.message).toContain("nothing was captured at stripe")
    })

    it.each([0, -1, -10000])("refuses an amount of %i as invalid", (amount) => {
      const p = expectKind(plan({ amount }), "refuse")
      expect(p).toEqual({
        kind: "refuse",
        type: "invalid",
        message: "The amount to capture must be greater than zero.",
      })
    })

    it("refuses more than the authorization", () => {
      const p = expectKind(plan({ amount: 10001 }), "refuse")
      expect(p.type).toBe("not_allowed")
      expect(p.message).toBe("Cannot capture USD 100.01: only USD 100.00 of the authorization is left to capture.")
    })

    it("refuses more than partial captures left, and allows exactly what is left", () => {
      const record = paymentRecord({ captures: [captureRecord("A", 4000)] })
      const p = expectKind(plan({ record, amount: 6001 }), "refuse")
      expect(p.message).toBe("Cannot capture USD 60.01: only USD 60.00 of the authorization is left to capture.")
      expect(plan({ record, amount: 6000 }).kind).toBe("capture")
    })

    it("counts manual captures against the authorization (the money was taken outside the gateway)", () => {
      const record = paymentRecord({ captures: [captureRecord("M", 7000, { mechanism: "manual" })] })
      expect(expectKind(plan({ record, amount: 3001 }), "refuse").message).toContain("only USD 30.00")
      expect(plan({ record, amount: 3000 }).kind).toBe("capture")
    })

    it("refuses any capture after a final capture closed the authorization", () => {
      const record = paymentRecord({ captures: [captureRecord("A", 3000, { final: true })] })
      for (const options of [{}, { final: false }, { mechanism: "manual" as const }]) {
        const p = expectKind(plan({ record, amount: 1, options }), "refuse")
        expect(p.type).toBe("not_allowed")
        expect(p.message).toBe(
          "Cannot capture USD 0.01: nothing is left to capture on this authorization (it is fully captured, or a final capture closed it)."
        )
      }
    })

    it("refuses any capture of a fully captured authorization", () => {
      const record = paymentRecord({ captures: [captureRecord("A", 4000), captureRecord("B", 6000)] })
      expect(expectKind(plan({ record, amount: 1 }), "refuse").message).toContain("nothing is left to capture")
    })
  })

  describe("final or not", () => {
    const partial = paymentRecord({ captures: [captureRecord("A", 4000)] })

    it.each<[string, PaymentRecord, number, InstructionOptions, boolean]>([
      ["requested final, partial", paymentRecord(), 4000, { final: true }, true],
      ["requested non-final, partial", paymentRecord(), 4000, { final: false }, false],
      ["unasked (Medusa's route), partial", paymentRecord(), 4000, {}, false],
      ["unasked, everything", paymentRecord(), 10000, {}, true],
      ["requested non-final, but takes everything", paymentRecord(), 10000, { final: false }, true],
      ["the rest after a partial capture", partial, 6000, {}, true],
      ["part of the rest after a partial capture", partial, 5000, {}, false],
      ["manual, requested final", paymentRecord(), 100, { final: true, mechanism: "manual" }, true],
      ["manual, takes everything", paymentRecord(), 10000, { mechanism: "manual" }, true],
      ["manual, partial", paymentRecord(), 100, { mechanism: "manual" }, false],
    ])("%s", (_, record, amount, options, final) => {
      const p = plan({ record, amount, options })
      if (p.kind === "capture") {
        expect(p.final).toBe(final)
        expect(p.record.final).toBe(final)
      } else {
        expect(expectKind(p, "record").capture.final).toBe(final)
      }
    })
  })

  describe("the PSP capture", () => {
    it("plans the amount, the descriptor, the reference and the record of the capture", () => {
      const p = plan({
        amount: 2500,
        options: { statement_descriptor: "SHIP 1", invoice_detail_ids: ["item_1", "item_2"] },
        default_statement_descriptor: "MYSHOP",
      })
      expect(p).toEqual({
        kind: "capture",
        amount: 2500,
        final: false,
        statement_descriptor: "SHIP 1",
        custom_reference: "ORDER-7",
        record: {
          medusa_capture_id: "capt_new",
          amount: 2500,
          final: false,
          mechanism: "automatic",
          custom_reference: "ORDER-7",
          statement_descriptor: "SHIP 1",
          invoice_detail_ids: ["item_1", "item_2"],
        },
      })
    })

    it("falls back to the default descriptor, then to none", () => {
      expect(expectKind(plan({ default_statement_descriptor: "MYSHOP" }), "capture").statement_descriptor).toBe(
        "MYSHOP"
      )
      const none = expectKind(plan(), "capture")
      expect(none.statement_descriptor).toBeNull()
      expect(none.record.statement_descriptor).toBeNull()
      expect(none.record.invoice_detail_ids).toBeNull()
    })

    it("uses `automatic` unless the instruction says manual", () => {
      expect(expectKind(plan({ options: { mechanism: "automatic" } }), "capture").record.mechanism).toBe("automatic")
    })
  })

  describe("custom_reference (inherit, clear, replace)", () => {
    it.each<[string, InstructionOptions, string | null, string | null]>([
      ["absent: inherits the authorization's", {}, "ORDER-7", "ORDER-7"],
      ["absent, none on the authorization", {}, null, null],
      ["null: cleared", { custom_reference: null }, "ORDER-7", null],
      ['"": cleared', { custom_reference: "" }, "ORDER-7", null],
      ["a value: replaces it", { custom_reference: "NEW-1" }, "ORDER-7", "NEW-1"],
      ["a value on an authorization without one", { custom_reference: "NEW-1" }, null, "NEW-1"],
    ])("%s", (_, options, authorization, expected) => {
      const record = paymentRecord({ custom_reference: authorization })
      const psp = expectKind(plan({ record, options, amount: 1000 }), "capture")
      expect(psp.custom_reference).toBe(expected)
      expect(psp.record.custom_reference).toBe(expected)
      const manual = expectKind(plan({ record, options: { ...options, mechanism: "manual" }, amount: 1000 }), "record")
      expect(manual.custom_reference).toBe(expected)
      expect(manual.capture.custom_reference).toBe(expected)
    })

    it("a later capture inherits the previous capture's reference (a cleared one stays cleared); the authorization keeps its own", () => {
      const first = expectKind(plan({ options: { custom_reference: "" }, amount: 1000 }), "capture")
      expect(first.custom_reference).toBeNull()
      const after = withCapture(paymentRecord({ custom_reference: "ORDER-7" }), {
        ...first.record,
        id: "ch_1",
        created_at: NOW,
      })
      expect(after.custom_reference).toBe("ORDER-7")
      expect(
        expectKind(plan({ record: after, amount: 1000, medusa_capture_id: "capt_2" }), "capture").custom_reference
      ).toBeNull()
      const replaced = withCapture(after, { ...first.record, id: "ch_2", created_at: NOW, custom_reference: "CAP-2" })
      expect(
        expectKind(plan({ record: replaced, amount: 1000, medusa_capture_id: "capt_3" }), "capture").custom_reference
      ).toBe("CAP-2")
    })
  })

  describe("manual capture (money taken outside the gateway)", () => {
    it("records the capture without any PSP call", () => {
      const p = plan({
        amount: 4000,
        options: { mechanism: "manual", statement_descriptor: "IGNORED", invoice_detail_ids: ["item_1"] },
        default_statement_descriptor: "MYSHOP",
      })
      expect(p).toEqual({
        kind: "record",
        custom_reference: "ORDER-7",
        capture: {
          id: "manual_capt_new",
          medusa_capture_id: "capt_new",
          amount: 4000,
          final: false,
          created_at: NOW,
          mechanism: "manual",
          custom_reference: "ORDER-7",
          // No descriptor: nothing reaches the card statement.
          statement_descriptor: null,
          invoice_detail_ids: ["item_1"],
        },
      })
    })

    it("names a capture without a Medusa id by the time it was planned", () => {
      const p = expectKind(plan({ medusa_capture_id: null, amount: 100, options: { mechanism: "manual" } }), "record")
      expect(p.capture.id).toBe(`manual_${NOW}`)
      expect(p.capture.medusa_capture_id).toBeNull()
    })

    it("is held to what is left like any capture", () => {
      const record = paymentRecord({ captures: [captureRecord("A", 9000)] })
      expect(plan({ record, amount: 1001, options: { mechanism: "manual" } }).kind).toBe("refuse")
    })
  })

  describe("properties", () => {
    const optionsArb = fc.record(
      {
        final: fc.boolean(),
        mechanism: fc.constantFrom<"manual" | "automatic">("manual", "automatic"),
        custom_reference: fc.option(fc.string()),
      },
      { requiredKeys: [] }
    )

    it("never plans more than is left, and refuses only what cannot be captured", () => {
      fc.assert(
        fc.property(authorizationArb, fc.integer({ min: -10, max: 110_000 }), optionsArb, (record, amount, options) => {
          const left = leftToCapture({ authorized: record.amount, captures: record.captures })
          const p = plan({ record, amount, options })
          if (amount > 0 && amount <= left) {
            expect(["capture", "record"]).toContain(p.kind)
            const details = p.kind === "capture" ? p.record : (p as Extract<CapturePlan, { kind: "record" }>).capture
            expect(details.amount).toBe(amount)
            expect(details.final).toBe(options.final === true || amount === left)
            expect(details.mechanism).toBe(options.mechanism === "manual" ? "manual" : "automatic")
            expect(p.kind).toBe(options.mechanism === "manual" ? "record" : "capture")
          } else {
            expect(p.kind).toBe("refuse")
          }
        })
      )
    })

    it("a run of planned captures never captures more than authorized, and none follows a final one", () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 1, max: 100_000 }),
          fc.array(fc.record({ amount: fc.integer({ min: 1, max: 60_000 }), options: optionsArb }), { maxLength: 8 }),
          (authorized, steps) => {
            let record = paymentRecord({ amount: authorized })
            steps.forEach((step, i) => {
              const closed = record.captures.some((c) => c.final)
              const p = plan({ record, amount: step.amount, options: step.options, medusa_capture_id: `capt_${i}` })
              if (closed) {
                expect(p.kind).toBe("refuse")
              }
              if (p.kind === "capture") {
                record = withCapture(record, { ...p.record, id: `ch_${i}`, created_at: NOW })
              } else if (p.kind === "record") {
                record = withCapture(record, p.capture)
              }
              const captured = record.captures.reduce((sum, c) => sum + c.amount, 0)
              expect(captured).toBeLessThanOrEqual(authorized)
              expect(captured + leftToCapture({ authorized, captures: record.captures })).toBeLessThanOrEqual(
                authorized
              )
            })
          }
        )
      )
    })
  })
})

describe("pspCapturedAmount", () => {
  it("counts the captures the PSP made, not the manual ones", () => {
    const record = paymentRecord({
      captures: [
        captureRecord("A", 2000),
        captureRecord("M", 3000, { mechanism: "manual" }),
        captureRecord("B", 1000, { mechanism: undefined }),
      ],
    })
    expect(pspCapturedAmount(record)).toBe(3000)
    expect(pspCapturedAmount(paymentRecord())).toBe(0)
  })
})

describe("planLostCapture", () => {
  function lost(overrides: Partial<LostCaptureInput> = {}) {
    return planLostCapture({
      record: paymentRecord({ captures: [captureRecord("ch_A", 3000)] }),
      amount: 2000,
      psp: { amount_captured: 3000, captures: [{ id: "ch_A", amount: 3000, status: "succeeded", created_at: NOW }] },
      crash_leftovers: 0,
      money,
      gateway: "stripe",
      ...overrides,
    })
  }

  it("finds nothing when the PSP captured what the record knows (the earlier call failed before the PSP acted)", () => {
    expect(lost()).toEqual({ kind: "none" })
  })

  it("finds nothing when the PSP shows less than the record (it has not caught up)", () => {
    expect(lost({ psp: { amount_captured: 1000, captures: [] } })).toEqual({ kind: "none" })
  })

  it("recovers a surplus of exactly this amount, with the PSP capture that made it", () => {
    const psp = {
      amount_captured: 5000,
      captures: [
        { id: "ch_A", amount: 3000, status: "succeeded", created_at: "2026-06-01T00:00:00.000Z" },
        { id: "ch_failed", amount: 2000, status: "failed", created_at: "2026-06-02T00:00:00.000Z" },
        { id: "ch_lost", amount: 2000, status: "succeeded", created_at: "2026-06-03T00:00:00.000Z" },
      ],
    }
    expect(lost({ psp })).toEqual({
      kind: "recover",
      psp_capture_id: "ch_lost",
      created_at: "2026-06-03T00:00:00.000Z",
    })
  })

  it("never matches a capture already in the record, even of the same amount", () => {
    const record = paymentRecord({ captures: [captureRecord("ch_A", 2000)] })
    const psp = {
      amount_captured: 4000,
      captures: [
        { id: "ch_A", amount: 2000, status: "succeeded", created_at: "2026-06-01T00:00:00.000Z" },
        { id: "ch_B", amount: 2000, status: "pending", created_at: "2026-06-02T00:00:00.000Z" },
      ],
    }
    expect(lost({ record, psp })).toEqual({
      kind: "recover",
      psp_capture_id: "ch_B",
      created_at: "2026-06-02T00:00:00.000Z",
    })
  })

  it("recovers without a PSP capture id when the PSP lists none that fits (one PaymentIntent charge)", () => {
    expect(lost({ psp: { amount_captured: 5000, captures: [] } })).toEqual({
      kind: "recover",
      psp_capture_id: null,
      created_at: null,
    })
  })

  it("refuses any other surplus, capturing nothing, and names the amount to capture to record it", () => {
    const p = lost({ amount: 1500, psp: { amount_captured: 5000, captures: [] } })
    expect(p).toEqual({
      kind: "refuse",
      type: "not_allowed",
      message:
        "stripe has already captured USD 20.00 of this payment that Medusa has no record of, most likely an earlier capture whose answer was lost. Nothing was captured now: capture exactly USD 20.00 to record it, or check the payment at stripe first.",
    })
    expect(lost({ amount: 2500, psp: { amount_captured: 5000, captures: [] } }).kind).toBe("refuse")
  })

  it("does not count manual captures as PSP money", () => {
    const record = paymentRecord({
      captures: [captureRecord("ch_A", 3000), captureRecord("manual_capt_M", 4000, { mechanism: "manual" })],
    })
    expect(lost({ record, psp: { amount_captured: 3000, captures: [] } })).toEqual({ kind: "none" })
    expect(lost({ record, psp: { amount_captured: 5000, captures: [] } }).kind).toBe("recover")
  })

  it("excludes crash leftovers (Medusa still has their rows): that money is not this capture's lost answer", () => {
    const psp = { amount_captured: 7000, captures: [] }
    // 3000 recorded + 2000 of a crashed attempt Medusa already accounts for: 2000 surplus, this capture's.
    expect(lost({ psp, crash_leftovers: 2000, amount: 2000 }).kind).toBe("recover")
    // Without the leftover the surplus would be 4000 and the 2000 capture refused.
    expect(lost({ psp, crash_leftovers: 0, amount: 2000 }).kind).toBe("refuse")
    // All of the surplus is the crashed attempt's: nothing was lost for this capture.
    expect(lost({ psp, crash_leftovers: 4000, amount: 2000 })).toEqual({ kind: "none" })
    const refused = lost({ psp, crash_leftovers: 2000, amount: 4000 })
    expect(refused.kind === "refuse" && refused.message).toContain("capture exactly USD 20.00")
  })

  it("recovers iff the unexplained surplus is exactly this amount", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 50_000 }),
        fc.integer({ min: 0, max: 50_000 }),
        fc.integer({ min: 0, max: 20_000 }),
        fc.integer({ min: 1, max: 50_000 }),
        (recorded, pspCaptured, leftovers, amount) => {
          const record = paymentRecord({ amount: 200_000, captures: recorded ? [captureRecord("ch_A", recorded)] : [] })
          const p = lost({
            record,
            amount,
            crash_leftovers: leftovers,
            psp: { amount_captured: pspCaptured, captures: [] },
          })
          const surplus = pspCaptured - recorded - leftovers
          expect(p.kind).toBe(surplus <= 0 ? "none" : surplus === amount ? "recover" : "refuse")
        }
      )
    )
  })
})

describe("planCapture without multicapture (most Stripe accounts and cards)", () => {
  const single = (overrides: Partial<PaymentRecord> = {}) => paymentRecord({ multicapture: false, ...overrides })

  it("captures a partial amount as final, whatever Medusa's route asked (no instruction)", () => {
    const p = expectKind(plan({ record: single(), amount: 2500, options: {} }), "capture")
    expect(p.final).toBe(true)
    expect(p.record.final).toBe(true)
  })

  it("refuses a requested non-final capture before anything moves, naming multicapture and what would be released", () => {
    const p = expectKind(plan({ record: single(), amount: 2500, options: { final: false } }), "refuse")
    expect(p.type).toBe("invalid")
    expect(p.message).toMatch(/non-final capture needs multicapture/)
    expect(p.message).toContain(money(10000 - 2500))
  })

  it("a further capture after the first (final) one is refused, saying the rest was released", () => {
    const record = single({ captures: [captureRecord("A", 2500, { medusa_capture_id: "capt_A", final: true })] })
    const p = expectKind(plan({ record, amount: 1000 }), "refuse")
    expect(p.type).toBe("not_allowed")
    expect(p.message).toMatch(/no multicapture at stripe, so its first capture was final/)
    expect(leftToCapture({ authorized: record.amount, captures: record.captures })).toBe(0)
  })

  it("a capture of everything is final as always; a manual capture records money without forcing the PSP's rule", () => {
    expect(expectKind(plan({ record: single(), amount: 10000, options: { final: false } }), "capture").final).toBe(true)
    const manual = expectKind(plan({ record: single(), amount: 2500, options: { mechanism: "manual" } }), "record")
    expect(manual.capture.final).toBe(false)
  })

  it("with multicapture (PayPal, Stripe's multicapture card) or unknown, a non-final partial capture stays non-final", () => {
    for (const multicapture of [true, null, undefined]) {
      const record = paymentRecord({ multicapture })
      expect(expectKind(plan({ record, amount: 2500, options: { final: false } }), "capture").final).toBe(false)
      expect(expectKind(plan({ record, amount: 2500, options: {} }), "capture").final).toBe(false)
    }
  })

  it("never plans a non-final PSP capture on a single-capture payment (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10000 }),
        fc.constantFrom<boolean | undefined>(true, false, undefined),
        (amount, final) => {
          const p = plan({ record: single(), amount, options: final === undefined ? {} : { final } })
          return p.kind === "refuse" || (p.kind === "capture" && p.final)
        }
      )
    )
  })
})
