import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { formatMoney } from "../../../utils/money"
import { readReconcileState, type ReconcileTarget } from "../reconcile-data"
import { compareWithPsp, type Discrepancy } from "../reconcile-plan"
import type { PspState } from "./read-psp-state"

const CAPTURE_LEFTOVER_CODES = new Set(["medusa_capture_not_at_psp", "psp_capture_mismatch"])
const CAPTURE_TOTAL_CODES = new Set(["psp_captured_more", "medusa_captured_more"])
const REFUND_LEFTOVER_CODES = new Set(["medusa_refund_not_at_psp", "psp_refund_mismatch"])

/**
 * After the repairs, reads Medusa again and compares it with the PSP's state of this pass: what still differs is a
 * discrepancy (with those the earlier steps found; one report per difference).
 */
export const comparePaymentWithPspStep = createStep(
  "compare-payment-with-psp",
  async (input: { target: ReconcileTarget; psp: PspState; found: Discrepancy[][] }, { container }) => {
    const state = await readReconcileState(container, input.target, input.psp)
    const found = input.found.flat()
    const startedRefunds = new Set(state.started.filter((s) => s.kind === "refund").map((s) => s.medusa_id))
    const hasCaptureLeftover = found.some((d) => CAPTURE_LEFTOVER_CODES.has(d.code))
    const hasRefundLeftover = found.some((d) => REFUND_LEFTOVER_CODES.has(d.code))
    const compared = compareWithPsp(state, (minor) => formatMoney(minor, state.currency)).filter(
      (d) =>
        !(hasCaptureLeftover && CAPTURE_TOTAL_CODES.has(d.code)) &&
        !(
          hasRefundLeftover &&
          d.code === "medusa_refund_unrecorded" &&
          [...startedRefunds].some((id) => id && d.detail.includes(id))
        )
    )
    return new StepResponse<Discrepancy[]>([...found, ...compared])
  }
)
