import { PayPalProviderService } from "../paypal/service"
import { StripeProviderService } from "../stripe/service"

describe("provider options, validated at boot", () => {
  it("accepts the minimal Stripe options and fills the defaults", () => {
    expect(() => StripeProviderService.validateOptions({ apiKey: "sk_test_123" })).not.toThrow()
  })

  it("names the missing or wrong Stripe option without echoing any secret", () => {
    const attempt = () =>
      StripeProviderService.validateOptions({ apiKey: "pk_live_leakme", webhookSecret: "oops-secret-value" })
    expect(attempt).toThrow(/apiKey must be a Stripe secret or restricted key/)
    expect(attempt).toThrow(/webhookSecret must start with whsec_/)
    try {
      attempt()
    } catch (e) {
      expect((e as Error).message).not.toContain("pk_live_leakme")
      expect((e as Error).message).not.toContain("oops-secret-value")
    }
    expect(() => StripeProviderService.validateOptions({})).toThrow(/apiKey is required/)
  })

  it("rejects unknown options, so a typo does not silently fall back to a default", () => {
    expect(() => StripeProviderService.validateOptions({ apiKey: "sk_test_1", captur: true })).toThrow(/captur/)
  })

  it("checks PayPal's credentials, environment and verification mode", () => {
    expect(() => PayPalProviderService.validateOptions({ clientId: "id", clientSecret: "s" })).not.toThrow()
    expect(() => PayPalProviderService.validateOptions({ clientId: "id" })).toThrow(/clientSecret is required/)
    expect(() =>
      PayPalProviderService.validateOptions({ clientId: "id", clientSecret: "s", environment: "production" })
    ).toThrow(/environment/)
    expect(() =>
      PayPalProviderService.validateOptions({ clientId: "id", clientSecret: "s", webhookVerification: "none" })
    ).toThrow(/webhookVerification/)
    expect(() =>
      PayPalProviderService.validateOptions({ clientId: "id", clientSecret: "s", apiBaseUrl: "not a url" })
    ).toThrow(/apiBaseUrl must be a full URL/)
  })
})
