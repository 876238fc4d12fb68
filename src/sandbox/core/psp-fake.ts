import type { SandboxClock } from "./clock"
import type { Psp } from "./faults"
import type { Router, SandboxRequest, SandboxResponse } from "./router"
import type { WebhookDispatcher } from "./webhooks"

export interface ResolvedSandboxOptions {
  host: string
  port: number
  stripe: {
    apiKey: string
    publishableKey: string
    webhookSecret: string
    webhookUrl?: string
  }
  paypal: {
    clientId: string
    clientSecret: string
    webhookId: string
    webhookUrl?: string
  }
}

/** What every PSP fake is given by the sandbox server. */
export interface SandboxContext {
  clock: SandboxClock
  webhooks: WebhookDispatcher
  options: ResolvedSandboxOptions
  /** The sandbox's own base URL (`http://127.0.0.1:<port>`), known once it listens. */
  baseUrl(): string
}

/**
 * One fake PSP. The server runs the shared pipeline (request log, faults, idempotency replay) and calls these
 * hooks for what differs per PSP.
 */
export interface PspFake {
  psp: Psp
  /** Path prefix of the PSP's API on the sandbox: "" for Stripe (the SDK cannot add a prefix), "/paypal" for PayPal. */
  prefix: string
  /** The PSP's API, with paths relative to `prefix`. */
  api: Router
  /**
   * What the PSP serves to browsers (its JS SDK stand-in, its buyer pages), relative to `prefix`: answered before the
   * API's authentication, as the PSP's script and page hosts are public.
   */
  browser?: Router
  /** Control routes for tests and the demo, mounted at `/_sandbox/<psp>`. */
  control: Router
  /** An error response in the PSP's shape, or undefined when the request may go on (API keys, OAuth tokens). */
  authenticate(req: SandboxRequest): SandboxResponse | undefined
  /** The idempotency key of a request (Stripe `Idempotency-Key`, PayPal `PayPal-Request-Id`), if any. */
  idempotencyKey(req: SandboxRequest): string | undefined
  /** The answer to a reused key with a different request. */
  idempotencyMismatch(req: SandboxRequest, original: SandboxResponse | undefined): SandboxResponse
  /** The answer while another request with the same key is still running. */
  idempotencyInProgress(req: SandboxRequest): SandboxResponse
  /** The PSP's error for an HTTP status (injected faults, unknown routes, unreadable bodies). */
  error(status: number, message: string): SandboxResponse
  reset(): void
}

/** Thrown by handlers to answer with a PSP-shaped error. */
export class SandboxHttpError extends Error {
  constructor(readonly response: SandboxResponse) {
    super(`sandbox error ${response.status}`)
  }
}
