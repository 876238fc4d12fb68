// Placeholder: replaced by the PayPal fake's control client.
import type { SandboxControlClient } from "../core/control-client"
export class PayPalSandboxControl {
  constructor(protected readonly client: SandboxControlClient) {}
}
