/**
 * The PSP sandbox: local, stateful fakes of the Stripe and PayPal HTTP APIs that the real `stripe` and
 * `@paypal/paypal-server-sdk` clients talk to unchanged. Import it as `medusa-payment-orchestrator/sandbox`.
 */
import { SandboxControlClient } from "./core/control-client"
import type { ResolvedSandboxOptions } from "./core/psp-fake"
import { SandboxServer } from "./core/server"
import { createPayPalFake } from "./paypal"
import { PayPalSandboxControl } from "./paypal/control-client"
import { createStripeFake } from "./stripe"
import { StripeSandboxControl } from "./stripe/control-client"

export interface SandboxOptions {
  /** Port to listen on; 0 (the default) picks a free one. */
  port?: number
  host?: string
  stripe?: Partial<ResolvedSandboxOptions["stripe"]>
  paypal?: Partial<ResolvedSandboxOptions["paypal"]>
}

export const SANDBOX_DEFAULTS = {
  host: "127.0.0.1",
  port: 12111,
  stripe: {
    apiKey: "sk_test_sandbox",
    publishableKey: "pk_test_sandbox",
    webhookSecret: "whsec_sandbox",
  },
  paypal: {
    clientId: "sandbox-client-id",
    clientSecret: "sandbox-client-secret",
    webhookId: "WH-SANDBOX",
  },
} as const

/** The control API client, with the Stripe- and PayPal-specific actions under `.stripe` and `.paypal`. */
export class SandboxControl extends SandboxControlClient {
  readonly stripe = new StripeSandboxControl(this)
  readonly paypal = new PayPalSandboxControl(this)
}

export interface RunningSandbox {
  url: string
  server: SandboxServer
  control: SandboxControl
  stripe: { apiBaseUrl: string; apiKey: string; publishableKey: string; webhookSecret: string }
  paypal: { apiBaseUrl: string; clientId: string; clientSecret: string; webhookId: string }
  close(): Promise<void>
}

export function resolveSandboxOptions(options: SandboxOptions = {}): ResolvedSandboxOptions {
  return {
    host: options.host ?? SANDBOX_DEFAULTS.host,
    port: options.port ?? 0,
    stripe: { ...SANDBOX_DEFAULTS.stripe, ...options.stripe },
    paypal: { ...SANDBOX_DEFAULTS.paypal, ...options.paypal },
  }
}

/** Starts the sandbox and resolves once it listens. */
export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  const resolved = resolveSandboxOptions(options)
  const server = new SandboxServer(resolved, [createStripeFake, createPayPalFake])
  const url = await server.listen()
  return {
    url,
    server,
    control: new SandboxControl(url),
    stripe: { apiBaseUrl: url, ...resolved.stripe },
    paypal: { apiBaseUrl: `${url}/paypal`, ...resolved.paypal },
    close: () => server.close(),
  }
}

export { SandboxServer } from "./core/server"
export { SandboxControlError } from "./core/control-client"
export type { FaultRule, FaultKind, Psp } from "./core/faults"
export type { Delivery, SandboxEvent, ReleaseOptions } from "./core/webhooks"
export type { LoggedRequest } from "./core/server"
