/**
 * PayPal sends PAYMENT.AUTHORIZATION.VOIDED both when the merchant voids an authorization and when it expires. The
 * provider tells them apart by the authorization's expiration time: voided at or after it means expired.
 */
import { voidedAtExpiry } from "../service"

const voided = (resource: Record<string, string | undefined>, create_time?: string) => ({
  event_type: "PAYMENT.AUTHORIZATION.VOIDED",
  create_time,
  resource: { id: "0VF52814937998046", custom_id: "payses_1", ...resource },
})

describe("voidedAtExpiry", () => {
  it("a merchant's void: voided before the expiration time", () => {
    expect(
      voidedAtExpiry(
        voided({
          status: "VOIDED",
          expiration_time: "2026-07-14T12:00:00Z",
          update_time: "2026-06-16T09:30:00Z",
        })
      )
    ).toBe(false)
  })

  it("an expiry: VOIDED with the update time at or past the expiration time", () => {
    expect(
      voidedAtExpiry(
        voided({ status: "VOIDED", expiration_time: "2026-07-14T12:00:00Z", update_time: "2026-07-14T12:00:00Z" })
      )
    ).toBe(true)
    expect(
      voidedAtExpiry(
        voided({ status: "VOIDED", expiration_time: "2026-07-14T12:00:00Z", update_time: "2026-07-14T12:00:05Z" })
      )
    ).toBe(true)
  })

  it("uses the event's time when the resource has no update time", () => {
    const resource = { status: "VOIDED", expiration_time: "2026-07-14T12:00:00Z" }
    expect(voidedAtExpiry(voided(resource, "2026-07-14T12:01:00Z"))).toBe(true)
    expect(voidedAtExpiry(voided(resource, "2026-06-20T08:00:00Z"))).toBe(false)
  })

  it("an authorization whose status already says EXPIRED", () => {
    expect(
      voidedAtExpiry(
        voided({ status: "EXPIRED", expiration_time: "2026-07-14T12:00:00Z", update_time: "2026-06-20T08:00:00Z" })
      )
    ).toBe(true)
  })

  it("a void with no expiration time is the merchant's", () => {
    expect(voidedAtExpiry(voided({ status: "VOIDED", update_time: "2026-06-16T09:30:00Z" }))).toBe(false)
  })
})
