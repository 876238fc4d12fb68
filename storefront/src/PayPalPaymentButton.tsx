import { PayPalButtons, PayPalScriptProvider, type ReactPayPalScriptOptions } from "@paypal/react-paypal-js"
import { useState } from "react"
import { payPalIntent, payPalOrderId, type StorefrontPaymentSession } from "./sessions.js"

export interface PayPalPaymentButtonProps {
  /** The cart's pending PayPal session (`pendingSession(cart)`), created with the plugin's PayPal provider. */
  session: StorefrontPaymentSession
  /** Your PayPal app's client id (public). */
  clientId: string
  /**
   * Places the order once the buyer approved: complete the cart (`sdk.store.cart.complete(cart.id)`), then go to the
   * confirmation page. Medusa authorizes (or captures) the PayPal order on the server; a rejection is shown.
   */
  onApproved: () => Promise<void>
  /** Only for sessions that do not carry `data.intent` (created by an earlier version of the plugin). */
  intent?: "authorize" | "capture"
  /** Where the PayPal JS SDK is loaded from: the sandbox's (`<sandbox>/paypal/sdk/js`) offline; PayPal's by default. */
  sdkBaseUrl?: string
  /** Extra options for the SDK script (locale, enableFunding, ...). */
  scriptOptions?: Partial<ReactPayPalScriptOptions>
  disabled?: boolean
}

type Notice = { kind: "error" | "cancel" | "busy"; text: string } | null

/**
 * PayPal's buttons for the plugin's PayPal session: the SDK loaded with the session's currency and intent, the
 * session's PayPal order given to `createOrder` (the order was created on the server when the session was), approval
 * placing the order, and the buyer told when they cancel or something fails.
 */
export function PayPalPaymentButton(props: PayPalPaymentButtonProps) {
  const { session, clientId, onApproved, sdkBaseUrl, scriptOptions, disabled } = props
  const [notice, setNotice] = useState<Notice>(null)
  const options: ReactPayPalScriptOptions = {
    clientId,
    currency: session.currency_code.toUpperCase(),
    intent: payPalIntent(session, props.intent),
    components: "buttons",
    ...(sdkBaseUrl ? { sdkBaseUrl } : {}),
    ...scriptOptions,
  }
  return (
    <div data-testid="paypal-payment">
      <PayPalScriptProvider options={options}>
        <PayPalButtons
          style={{ layout: "horizontal", label: "pay" }}
          disabled={disabled || notice?.kind === "busy"}
          createOrder={async () => {
            setNotice(null)
            return payPalOrderId(session)
          }}
          onApprove={async () => {
            setNotice({ kind: "busy", text: "Placing your order…" })
            try {
              await onApproved()
              setNotice(null)
            } catch (e) {
              setNotice({
                kind: "error",
                text: `PayPal approved the payment, but the order could not be placed: ${(e as Error).message}`,
              })
            }
          }}
          onCancel={() =>
            setNotice({
              kind: "cancel",
              text: "You cancelled the payment at PayPal. Nothing was charged: pay with PayPal again or choose another method.",
            })
          }
          onError={(err) =>
            setNotice({
              kind: "error",
              text: `PayPal could not take the payment: ${String((err as { message?: unknown }).message ?? err)}`,
            })
          }
        />
      </PayPalScriptProvider>
      {notice && (
        <p role={notice.kind === "error" ? "alert" : "status"} data-testid={`paypal-${notice.kind}`}>
          {notice.text}
        </p>
      )}
    </div>
  )
}
