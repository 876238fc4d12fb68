import type { SandboxContext } from "../core/psp-fake"
import type { StripeEvents } from "./events"
import type { StripeState } from "./state"

/** What every part of the Stripe fake shares. */
export interface StripeFakeContext {
  ctx: SandboxContext
  state: StripeState
  events: StripeEvents
}
