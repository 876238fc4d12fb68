/**
 * The sandbox's stand-in for the part of PayPal's JS SDK that storefronts use: `paypal.Buttons({ createOrder,
 * onApprove, onCancel, onError, onClick, onInit }).render(container)`. The button opens the sandbox's approval window
 * (`/paypal/checkoutnow?token=<order id>`), where the buyer approves (the order becomes APPROVED in the sandbox, as a
 * buyer's approval at PayPal makes it) or cancels; closing the window cancels, as with PayPal.
 *
 * The browser runs `installPayPalStandIn` as it is (the sandbox serves its source, see ./script.ts), so it stays
 * self-contained: no imports but types. Its signatures are typed against `@paypal/paypal-js`.
 */
import type {
  OnApproveActions,
  OnApproveData,
  PayPalButtonsComponent,
  PayPalButtonsComponentOptions,
  PayPalNamespace,
} from "@paypal/paypal-js"

export interface PayPalStandInConfig {
  /** The sandbox's base URL (`http://127.0.0.1:12111`); the approval window is served under `/paypal`. */
  sandboxBase: string
  clientId: string
  /** The SDK URL's `intent` (lowercase), `capture` when not given, as PayPal's default. */
  intent: string
  /** The SDK URL's `currency` (uppercase), `USD` when not given. */
  currency: string
  /** Whether the SDK URL's `components` asked for the buttons. */
  buttons: boolean
}

/** The approval window's messages to the page that opened it. */
export interface PayPalApprovalMessage {
  type: "sandbox-paypal"
  event: "approve" | "cancel" | "error"
  orderID: string
  payerID?: string
  message?: string
}

export function installPayPalStandIn(w: Window & { paypal?: PayPalNamespace | null }, config: PayPalStandInConfig) {
  const doc = w.document
  const sandboxOrigin = new URL(config.sandboxBase).origin

  const Buttons = (initial?: PayPalButtonsComponentOptions): PayPalButtonsComponent => {
    let props: PayPalButtonsComponentOptions = { ...initial }
    let container: HTMLElement | null = null
    let button: HTMLButtonElement | null = null
    let popup: Window | null = null
    let enabled = true
    let closed = false

    const fail = (error: unknown) => {
      const err = error instanceof Error ? error : new Error(String(error))
      if (props.onError) {
        props.onError(err as unknown as Record<string, unknown>)
      } else {
        console.error(err)
      }
    }

    const unsupported = (what: string) => () =>
      Promise.reject(
        new Error(`${what} is not available in the sandbox's PayPal stand-in: the server authorizes the order.`)
      )

    const approveActions: OnApproveActions = {
      order: {
        capture: unsupported("actions.order.capture()"),
        authorize: unsupported("actions.order.authorize()"),
        get: unsupported("actions.order.get()"),
        patch: unsupported("actions.order.patch()"),
      },
      redirect: (url: string) => w.location.assign(url),
      restart: () => undefined,
    }

    /** One buyer's pass: the order from createOrder, the approval window, then onApprove, onCancel or onError. */
    const checkout = async () => {
      if (!enabled || closed) {
        return
      }
      let rejected = false
      if (props.onClick) {
        await props.onClick(
          { fundingSource: "paypal" },
          {
            reject: async () => {
              rejected = true
            },
            resolve: async () => undefined,
          }
        )
      }
      if (rejected) {
        return
      }
      // Opened now, inside the click, so that no popup blocker stops it; it shows the order once createOrder answers.
      popup = w.open("", "sandbox-paypal-checkout", "width=480,height=640")
      popup?.document.write("<p style='font:16px system-ui;padding:24px'>Loading PayPal (sandbox)…</p>")
      let orderID: string
      try {
        if (!props.createOrder) {
          throw new Error("Expected createOrder to be passed to paypal.Buttons().")
        }
        orderID = await props.createOrder(
          { paymentSource: "paypal" },
          { order: { create: unsupported("actions.order.create()") } }
        )
        if (typeof orderID !== "string" || !orderID) {
          throw new Error(`Expected an order id to be passed from createOrder, got ${String(orderID)}.`)
        }
      } catch (e) {
        popup?.close()
        fail(e)
        return
      }
      if (!popup || popup.closed) {
        fail(new Error("The PayPal window could not be opened (blocked by the browser?). Allow popups and try again."))
        return
      }
      const query = new URLSearchParams({
        token: orderID,
        intent: config.intent,
        currency: config.currency,
        "client-id": config.clientId,
      })
      popup.location.href = `${config.sandboxBase}/paypal/checkoutnow?${query}`

      const decision = await new Promise<PayPalApprovalMessage | null>((resolve) => {
        const onMessage = (event: MessageEvent) => {
          const data = event.data as PayPalApprovalMessage | null
          if (event.origin !== sandboxOrigin || data?.type !== "sandbox-paypal" || data.orderID !== orderID) {
            return
          }
          done(data)
        }
        const watch = w.setInterval(() => {
          if (!popup || popup.closed) done(null)
        }, 300)
        const done = (result: PayPalApprovalMessage | null) => {
          w.clearInterval(watch)
          w.removeEventListener("message", onMessage)
          resolve(result)
        }
        w.addEventListener("message", onMessage)
      })
      popup?.close()
      popup = null
      if (!decision || decision.event === "cancel") {
        props.onCancel?.({ orderID }, { redirect: () => undefined })
        return
      }
      if (decision.event === "error") {
        fail(new Error(decision.message ?? "PayPal could not take the payment."))
        return
      }
      const data: OnApproveData = {
        orderID,
        payerID: decision.payerID ?? null,
        paymentID: null,
        billingToken: null,
        facilitatorAccessToken: "sandbox-facilitator-token",
      }
      try {
        await props.onApprove?.(data, approveActions)
      } catch (e) {
        fail(e)
      }
    }

    const component: PayPalButtonsComponent = {
      isEligible: () => config.buttons && (!props.fundingSource || props.fundingSource === "paypal"),
      async render(target: HTMLElement | string) {
        const node = typeof target === "string" ? doc.querySelector<HTMLElement>(target) : target
        if (!node) {
          throw new Error(`Document is ready and element ${String(target)} does not exist`)
        }
        container = node
        button = doc.createElement("button")
        button.type = "button"
        button.setAttribute("aria-label", "PayPal")
        button.setAttribute("data-funding-source", "paypal")
        button.textContent = "PayPal"
        button.style.cssText =
          "width:100%;min-height:45px;border:0;border-radius:4px;background:#ffc439;color:#003087;" +
          "font:italic 700 20px system-ui,sans-serif;cursor:pointer"
        button.addEventListener("click", () => void checkout().catch(fail))
        container.appendChild(button)
        props.onInit?.(
          {},
          {
            enable: async () => {
              enabled = true
              if (button) button.disabled = false
            },
            disable: async () => {
              enabled = false
              if (button) button.disabled = true
            },
          }
        )
      },
      async close() {
        closed = true
        button?.remove()
        popup?.close()
      },
      async updateProps(next: PayPalButtonsComponentOptions) {
        props = { ...props, ...next }
      },
      resume: () => undefined,
      hasReturned: () => false,
    }
    return component
  }

  const namespace: Pick<PayPalNamespace, "Buttons" | "version"> = {
    version: "5.0.0-sandbox",
    ...(config.buttons ? { Buttons } : {}),
  }
  w.paypal = namespace
}
