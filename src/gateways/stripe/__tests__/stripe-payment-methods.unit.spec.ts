import { paymentMethodParams, supportsManualCapture } from "../stripe-payment-methods"

describe("paymentMethodParams: the methods offered and the capture of each", () => {
  it("keeps Stripe's default when nothing is configured", () => {
    expect(paymentMethodParams(null, "manual")).toEqual({
      capture_method: "manual",
      payment_method_options: { card: { request_multicapture: "if_available" } },
    })
    expect(paymentMethodParams(null, "automatic")).toEqual({ capture_method: "automatic" })
  })

  it("automatic methods with manual capture: Stripe offers only what it can capture later", () => {
    expect(paymentMethodParams({ automatic: true, allow_redirects: "always" }, "manual")).toMatchObject({
      capture_method: "manual",
      automatic_payment_methods: { enabled: true, allow_redirects: "always" },
    })
  })

  it("an explicit list with methods that cannot be captured later: per-method manual capture", () => {
    expect(
      paymentMethodParams({ automatic: false, types: ["card", "klarna", "ideal", "bancontact"] }, "manual")
    ).toEqual({
      capture_method: "automatic",
      allowed_payment_method_types: ["card", "klarna", "ideal", "bancontact"],
      payment_method_options: {
        card: { capture_method: "manual", request_multicapture: "if_available" },
        klarna: { capture_method: "manual" },
      },
    })
    expect(paymentMethodParams({ automatic: false, types: ["card", "card"] }, "manual")).toEqual({
      capture_method: "manual",
      allowed_payment_method_types: ["card"],
      payment_method_options: { card: { request_multicapture: "if_available" } },
    })
    expect(paymentMethodParams({ automatic: false, types: ["ideal"] }, "automatic")).toEqual({
      capture_method: "automatic",
      allowed_payment_method_types: ["ideal"],
    })
  })

  it("knows which methods Stripe can capture later", () => {
    expect(supportsManualCapture("card")).toBe(true)
    expect(supportsManualCapture("paypal")).toBe(true)
    expect(supportsManualCapture("ideal")).toBe(false)
    expect(supportsManualCapture("sepa_debit")).toBe(false)
  })
})
