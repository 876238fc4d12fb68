// Placeholder: replaced by the Stripe fake's control client.
import type { SandboxControlClient } from "../core/control-client"
export class StripeSandboxControl {
  constructor(protected readonly client: SandboxControlClient) {}
}
