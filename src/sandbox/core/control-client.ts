import type { FaultRule, Psp } from "./faults"
import type { LoggedRequest } from "./server"
import type { Delivery, ReleaseOptions, SandboxEvent } from "./webhooks"

export class SandboxControlError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly body: unknown
  ) {
    super(message)
  }
}

/** A small client for the sandbox's control API (`/_sandbox`), for tests, the demo and users' own test suites. */
export class SandboxControlClient {
  readonly baseUrl: string

  constructor(baseUrl: string) {
    this.baseUrl = baseUrl.replace(/\/+$/, "")
  }

  async request<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.baseUrl}/_sandbox${path}`, {
      method,
      headers: body === undefined ? undefined : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const text = await response.text()
    const parsed: unknown = text ? JSON.parse(text) : {}
    if (!response.ok) {
      const message =
        (parsed as { error?: { message?: string } }).error?.message ??
        `Sandbox control call failed (${response.status})`
      throw new SandboxControlError(`${method} ${path}: ${message}`, response.status, parsed)
    }
    return parsed as T
  }

  reset(): Promise<unknown> {
    return this.request("POST", "/reset")
  }

  addFault(rule: FaultRule): Promise<{ id: number }> {
    return this.request("POST", "/faults", rule)
  }

  clearFaults(): Promise<unknown> {
    return this.request("DELETE", "/faults")
  }

  async requests(filter: { psp?: Psp; method?: string; path?: string } = {}): Promise<LoggedRequest[]> {
    const query = new URLSearchParams(Object.entries(filter).filter(([, v]) => v) as [string, string][])
    return (await this.request<{ data: LoggedRequest[] }>("GET", `/requests?${query}`)).data
  }

  configureWebhooks(psp: Psp, target: { url?: string | null; hold?: boolean }): Promise<unknown> {
    return this.request("POST", "/webhooks/config", { psp, ...target })
  }

  async events(psp?: Psp): Promise<SandboxEvent[]> {
    return (await this.request<{ data: SandboxEvent[] }>("GET", `/webhooks/events${psp ? `?psp=${psp}` : ""}`)).data
  }

  async deliveries(): Promise<Delivery[]> {
    return (await this.request<{ data: Delivery[] }>("GET", "/webhooks/deliveries")).data
  }

  async releaseWebhooks(options: ReleaseOptionsBody = {}): Promise<Delivery[]> {
    return (await this.request<{ data: Delivery[] }>("POST", "/webhooks/release", options)).data
  }

  async redeliver(eventIds: string[], options: ReleaseOptionsBody = {}): Promise<Delivery[]> {
    return (
      await this.request<{ data: Delivery[] }>("POST", "/webhooks/redeliver", { event_ids: eventIds, ...options })
    ).data
  }

  /** Waits until no webhook delivery is under way. */
  async webhooksIdle(): Promise<void> {
    await this.request("POST", "/webhooks/idle")
  }

  advanceClock(seconds: number): Promise<{ now: string }> {
    return this.request("POST", "/clock/advance", { seconds })
  }
}

export type ReleaseOptionsBody = Omit<ReleaseOptions, "timestampOffsetSeconds"> & {
  timestamp_offset_seconds?: number
}
