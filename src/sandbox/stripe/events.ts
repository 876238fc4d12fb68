/** Stripe `Event` objects: recorded for `/v1/events` and handed to the webhook dispatcher. */
import { randomId } from "../core/ids"
import type { SandboxContext } from "../core/psp-fake"
import { clone } from "./params"
import type { EventObject, Json, RequestMeta, StripeState } from "./state"

export const API_VERSION = "2026-10-28.endive"

export class StripeEvents {
  constructor(
    private readonly ctx: SandboxContext,
    private readonly state: StripeState
  ) {}

  /** Builds the event with a snapshot of `object` as it is now, records it and emits it to the webhook dispatcher. */
  emit(type: string, object: unknown, meta: RequestMeta, previousAttributes?: Json): EventObject {
    const created = this.ctx.clock.unix()
    const event: EventObject = {
      id: randomId("evt"),
      object: "event",
      api_version: API_VERSION,
      created,
      data: previousAttributes
        ? { object: clone(object), previous_attributes: clone(previousAttributes) }
        : { object: clone(object) },
      livemode: false,
      pending_webhooks: this.ctx.webhooks.target("stripe").url ? 1 : 0,
      request: { id: meta.requestId, idempotency_key: meta.idempotencyKey },
      type,
    }
    this.state.events.push(event)
    this.ctx.webhooks.emit("stripe", event.id, type, JSON.stringify(event, null, 2), created)
    return event
  }
}
