/**
 * Medusa's order cancel refunds what each captured payment has left and goes on when the provider refuses: the
 * planner refuses the cancel up front for every refund the provider would refuse, and lets every other cancel run.
 */
import { heldAfterCaptures, planOrderCancel, type CancelPaymentInput } from "../order-cancel-planner"
import { captureRecord, money, NOW, paymentRecord, refundRecord } from "./fixtures"

const CAPTURE = captureRecord("ch_1", 7000)
const MANUAL = captureRecord("manual_capt_1", 7000, { mechanism: "manual" })

function payment(overrides: Partial<CancelPaymentInput> = {}): CancelPaymentInput {
  return {
    payment_id: "pay_1",
    record: paymentRecord({ status: "captured", amount: 7000, captures: [CAPTURE] }),
    refund_amount: 7000,
    gateway: "stripe",
    money,
    ...overrides,
  }
}

describe("planOrderCancel", () => {
  it("allows a cancel that refunds a capture the PSP holds, and one that refunds nothing", () => {
    expect(planOrderCancel([payment()], NOW)).toEqual({ kind: "allow" })
    expect(planOrderCancel([payment({ refund_amount: 0, record: paymentRecord() })], NOW)).toEqual({ kind: "allow" })
  })

  it("refuses while a dispute is open, naming the payment and what to do", () => {
    const plan = planOrderCancel(
      [
        payment({ payment_id: "pay_ok" }),
        payment({
          payment_id: "pay_disputed",
          record: paymentRecord({ status: "captured", captures: [CAPTURE], open_disputes: ["dp_1"] }),
        }),
      ],
      NOW
    )
    expect(plan).toMatchObject({ kind: "refuse", type: "not_allowed" })
    const message = (plan as { message: string }).message
    expect(message).toMatch(
      /^This order was not canceled: canceling it refunds USD 70\.00 of payment pay_disputed at stripe/
    )
    expect(message).toMatch(/chargeback is open .*dp_1.*Respond to the dispute/)
    expect(message).toMatch(/Then cancel the order again\. Nothing was canceled, voided or refunded\.$/)
  })

  it("refuses an automatic refund of a manual capture, and allows the cancel once it is marked as refunded", () => {
    const manual = paymentRecord({ status: "captured", amount: 7000, captures: [MANUAL] })
    const refused = planOrderCancel([payment({ record: manual })], NOW)
    expect(refused).toMatchObject({ kind: "refuse" })
    expect((refused as { message: string }).message).toMatch(/manually captured.*mark the transaction as refunded/)
    const marked = {
      ...manual,
      refunds: [
        refundRecord("manual_ref_1", 7000, { mechanism: "manual", medusa_capture_id: MANUAL.medusa_capture_id }),
      ],
    }
    expect(planOrderCancel([payment({ record: marked, refund_amount: 0 })], NOW)).toEqual({ kind: "allow" })
  })

  it("refuses a refund of more than the record can give back", () => {
    const plan = planOrderCancel([payment({ refund_amount: 9000 })], NOW)
    expect(plan).toMatchObject({ kind: "refuse" })
    expect((plan as { message: string }).message).toMatch(/only USD 70\.00/)
  })
})

describe("heldAfterCaptures", () => {
  it("is the whole authorization behind a manual capture, the rest after non-final captures, nothing after a final one", () => {
    expect(heldAfterCaptures(paymentRecord({ status: "captured", amount: 7000, captures: [MANUAL] }))).toBe(7000)
    const partial = captureRecord("CAP-1", 2000, { final: false })
    expect(heldAfterCaptures(paymentRecord({ status: "partially_captured", amount: 7000, captures: [partial] }))).toBe(
      5000
    )
    const final = captureRecord("CAP-2", 2000, { final: true })
    expect(heldAfterCaptures(paymentRecord({ status: "captured", amount: 7000, captures: [final] }))).toBe(0)
    expect(heldAfterCaptures(paymentRecord({ status: "canceled", amount: 7000, captures: [MANUAL] }))).toBe(0)
    expect(heldAfterCaptures(paymentRecord({ amount: 7000 }))).toBe(0)
  })
})
