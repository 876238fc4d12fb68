import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { GatewayDispute } from "../../../gateways/types"
import { resolveSyncProvider } from "../../../providers/provider-registry"

/** Reads the dispute as the PSP holds it now: the sync acts on this, never on the event's snapshot. */
export const fetchPspDisputeStep = createStep(
  "fetch-psp-dispute",
  async (input: { provider_id: string; dispute_id: string }, { container }) => {
    const provider = resolveSyncProvider(container, input.provider_id)
    if (!provider) {
      throw new Error(`Provider ${input.provider_id} is not loaded, so dispute ${input.dispute_id} cannot be read.`)
    }
    return new StepResponse<GatewayDispute>(await provider.retrievePspDispute(input.dispute_id))
  }
)
