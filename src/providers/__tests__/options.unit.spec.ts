import { PayPalProviderService } from "../paypal/service"
import { StripeProviderService } from "../stripe/service"
import { paypalOptionsSchema } from "../paypal/options"
import { stripeOptionsSchema } from "../stripe/options"
import { parseProviderOptions } from "../../utils/options"

describe("provider options, validated at boot", () => {
  it("accepts the minimal Stripe options and fills the defaults", () => {
    expect(() => StripeProviderService.validateOptions({ apiKey: "sk_test_123" })).not.toThrow()
    // What the provider runs with (its constructor parses the options the same way).
    expect(parseProviderOptions(stripeOptionsSchema, { apiKey: "sk_test_123" }, "Stripe")).toEqual({
      apiKey: "sk_test_123",
      capture: false,
      maxNetworkRetries: 2,
      timeoutMs: 20_000,
    })
  })

  it("accepts the minimal PayPal options and fills the defaults", () => {
    expect(parseProviderOptions(paypalOptionsSchema, { clientId: "id", clientSecret: "s" }, "PayPal")).toEqual({
      clientId: "id",
      clientSecret: "s",
      environment: "sandbox",
      capture: false,
      timeoutMs: 20_000,
      maxNetworkRetries: 2,
      webhookVerification: "api",
      certificateHosts: ["api.paypal.com", "api.sandbox.paypal.com"],
    })
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

  it("checks the Payment Element options: automatic methods or an explicit list, and the description", () => {
    const ok = (extra: Record<string, unknown>) =>
      expect(() => StripeProviderService.validateOptions({ apiKey: "sk_test_1", ...extra })).not.toThrow()
    ok({ automaticPaymentMethods: true })
    ok({ automaticPaymentMethods: { allowRedirects: "never" } })
    ok({ paymentMethodTypes: ["card", "ideal"], paymentDescription: "Order at Example Shop" })
    const bad = (extra: Record<string, unknown>) => () =>
      StripeProviderService.validateOptions({ apiKey: "sk_test_1", ...extra })
    expect(bad({ automaticPaymentMethods: true, paymentMethodTypes: ["card"] })).toThrow(/exclude each other/)
    expect(bad({ paymentMethodTypes: [] })).toThrow(/at least one type/)
    expect(bad({ paymentMethodTypes: ["Card Visa"] })).toThrow(/type names such as card/)
    expect(bad({ automaticPaymentMethods: { allowRedirects: "sometimes" } })).toThrow(/allowRedirects/)
    expect(bad({ paymentDescription: "x".repeat(1001) })).toThrow(/paymentDescription/)
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
