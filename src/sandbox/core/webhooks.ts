import type { Psp } from "./faults"

/** An event as the PSP would send it: `payload` is the exact JSON text that gets signed and POSTed. */
export interface SandboxEvent {
  psp: Psp
  id: string
  type: string
  payload: string
  created_at: number
}

export interface SignOptions {
  /** Shift the signature's timestamp (seconds; negative = in the past), to produce stale deliveries in tests. */
  timestampOffsetSeconds?: number
}

/** Produces the headers with which a PSP signs one delivery of a payload. */
export type WebhookSigner = (payload: string, options: SignOptions) => Record<string, string>

export interface Delivery {
  psp: Psp
  event_id: string
  type: string
  url: string
  status: number | null
  error: string | null
  delivered_at: string
}

export interface ReleaseOptions {
  psp?: Psp
  /** Extra copies of each event to deliver (0 = each once). */
  duplicates?: number
  /** `shuffle` mixes the order; `reverse` delivers newest first. Default: the order they were emitted. */
  order?: "emitted" | "shuffle" | "reverse"
  /** Deliver all copies at once rather than one after another. */
  concurrent?: boolean
  timestampOffsetSeconds?: number
}

interface Target {
  url?: string
  hold: boolean
}

/**
 * Sends each PSP's events to the configured webhook URL, signed as that PSP signs them. Events can be held and then
 * released with duplicates and in shuffled or reversed order, to prove a consumer's exactly-once handling.
 */
export class WebhookDispatcher {
  private readonly targets: Record<Psp, Target> = { stripe: { hold: false }, paypal: { hold: false } }
  private readonly signers: Partial<Record<Psp, WebhookSigner>> = {}
  private readonly log: SandboxEvent[] = []
  private held: SandboxEvent[] = []
  private readonly deliveries: Delivery[] = []
  private readonly inFlight = new Set<Promise<unknown>>()

  registerSigner(psp: Psp, signer: WebhookSigner): void {
    this.signers[psp] = signer
  }

  configure(psp: Psp, target: { url?: string | null; hold?: boolean }): void {
    if (target.url !== undefined) {
      this.targets[psp].url = target.url ?? undefined
    }
    if (target.hold !== undefined) {
      this.targets[psp].hold = target.hold
    }
  }

  target(psp: Psp): Readonly<Target> {
    return this.targets[psp]
  }

  /** Records an event and, unless held or no URL is set, delivers it in the background. */
  emit(psp: Psp, id: string, type: string, payload: string, createdAt: number): SandboxEvent {
    const event: SandboxEvent = { psp, id, type, payload, created_at: createdAt }
    this.log.push(event)
    const target = this.targets[psp]
    if (target.hold) {
      this.held.push(event)
    } else if (target.url) {
      this.track(this.deliver(event, {}))
    }
    return event
  }

  events(psp?: Psp): SandboxEvent[] {
    return this.log.filter((e) => !psp || e.psp === psp)
  }

  event(id: string): SandboxEvent | undefined {
    return this.log.find((e) => e.id === id)
  }

  heldEvents(psp?: Psp): SandboxEvent[] {
    return this.held.filter((e) => !psp || e.psp === psp)
  }

  deliveryLog(): Delivery[] {
    return [...this.deliveries]
  }

  /** Delivers the held events (of one PSP, or all) as the options say, and waits for every delivery. */
  async release(options: ReleaseOptions = {}): Promise<Delivery[]> {
    const picked = this.held.filter((e) => !options.psp || e.psp === options.psp)
    this.held = this.held.filter((e) => !picked.includes(e))
    return this.deliverMany(picked, options)
  }

  /** Delivers already emitted events again (by id), `1 + duplicates` times each. */
  async redeliver(ids: string[], options: ReleaseOptions = {}): Promise<Delivery[]> {
    const events = ids.map((id) => {
      const event = this.event(id)
      if (!event) {
        throw new Error(`No event ${id} was emitted by the sandbox.`)
      }
      return event
    })
    return this.deliverMany(events, options)
  }

  /** Resolves once no delivery is under way. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) {
      await Promise.allSettled([...this.inFlight])
    }
  }

  reset(): void {
    this.log.length = 0
    this.held = []
    this.deliveries.length = 0
    this.targets.stripe.hold = false
    this.targets.paypal.hold = false
  }

  private async deliverMany(events: SandboxEvent[], options: ReleaseOptions): Promise<Delivery[]> {
    const copies: SandboxEvent[] = []
    for (const event of events) {
      for (let i = 0; i <= (options.duplicates ?? 0); i++) {
        copies.push(event)
      }
    }
    if (options.order === "shuffle") {
      shuffle(copies)
    } else if (options.order === "reverse") {
      copies.reverse()
    }
    const sign = { timestampOffsetSeconds: options.timestampOffsetSeconds }
    if (options.concurrent) {
      return Promise.all(copies.map((event) => this.track(this.deliver(event, sign))))
    }
    const results: Delivery[] = []
    for (const event of copies) {
      results.push(await this.track(this.deliver(event, sign)))
    }
    return results
  }

  private track<T>(promise: Promise<T>): Promise<T> {
    this.inFlight.add(promise)
    void promise.finally(() => this.inFlight.delete(promise))
    return promise
  }

  private async deliver(event: SandboxEvent, sign: SignOptions): Promise<Delivery> {
    const url = this.targets[event.psp].url
    const delivery: Delivery = {
      psp: event.psp,
      event_id: event.id,
      type: event.type,
      url: url ?? "",
      status: null,
      error: null,
      delivered_at: new Date().toISOString(),
    }
    this.deliveries.push(delivery)
    if (!url) {
      delivery.error = `No webhook URL is configured for ${event.psp}.`
      return delivery
    }
    const signer = this.signers[event.psp]
    try {
      const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", ...(signer ? signer(event.payload, sign) : {}) },
        body: event.payload,
        signal: AbortSignal.timeout(10_000),
      })
      delivery.status = response.status
      await response.arrayBuffer()
    } catch (e) {
      delivery.error = (e as Error).message
    }
    return delivery
  }
}

function shuffle<T>(items: T[]): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1))
    ;[items[i], items[j]] = [items[j], items[i]]
  }
}
