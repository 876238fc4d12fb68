/**
 * The sandbox's stand-in for the parts of Stripe.js that storefronts use: `Stripe(pk)`, `elements({ clientSecret })`,
 * the Payment Element and the card element (a plain card form: number, expiry, CVC), `confirmPayment` (with
 * `redirect: "if_required"` or a redirect to `return_url`), `confirmCardPayment`, `retrievePaymentIntent`, and the
 * 3-D Secure challenge in a modal frame served by the sandbox.
 *
 * The browser runs `installStripeStandIn` as it is (the sandbox serves its source, see ./script.ts), so it must stay
 * self-contained: no imports but types, no module-level helpers. Its signatures are typed against `@stripe/stripe-js`
 * so they cannot drift from the real Stripe.js. Like Stripe.js, it talks to the PSP (the sandbox's Stripe API) with
 * the publishable key and the PaymentIntent's client secret only, and the card number goes nowhere but there.
 */
import type {
  ConfirmCardPaymentData,
  ConfirmCardPaymentOptions,
  ConfirmPaymentData,
  PaymentIntent,
  PaymentIntentResult,
  Stripe,
  StripeCardElement,
  StripeConstructor,
  StripeConstructorOptions,
  StripeElements,
  StripeElementsOptionsClientSecret,
  StripeError,
  StripePaymentElement,
} from "@stripe/stripe-js"

export interface StripeStandInConfig {
  /** The sandbox's Stripe API base URL (`http://127.0.0.1:12111`). */
  apiBase: string
  /** The Stripe.js release the stand-in reports (`Stripe.version`), the one `@stripe/stripe-js` expects. */
  version: string
}

/** What the stand-in implements of `Stripe`; the rest of Stripe.js is absent. */
export type StripeStandIn = Pick<
  Stripe,
  | "elements"
  | "confirmPayment"
  | "confirmCardPayment"
  | "retrievePaymentIntent"
  | "createPaymentMethod"
  | "createToken"
  | "registerAppInfo"
>

type ElementKind = "payment" | "card"
type StandInElement = Pick<
  StripePaymentElement,
  "mount" | "unmount" | "destroy" | "on" | "once" | "off" | "focus" | "blur" | "clear" | "update"
>
type StandInElements = Pick<StripeElements, "create" | "getElement" | "submit" | "update" | "fetchUpdates">

interface ConfirmOptions {
  elements?: StripeElements
  clientSecret?: string
  confirmParams?: Partial<ConfirmPaymentData>
  redirect?: "always" | "if_required"
}

export function installStripeStandIn(
  w: Window & { Stripe?: StripeConstructor & { version?: string } },
  config: StripeStandInConfig
): void {
  const doc = w.document
  const sandboxOrigin = new URL(config.apiBase).origin

  interface CardForm {
    kind: ElementKind
    root: HTMLElement
    number: HTMLInputElement
    expiry: HTMLInputElement
    cvc: HTMLInputElement
    error: HTMLElement
  }

  /** The element instances, by Elements group, so confirmPayment({ elements }) finds the card typed in. */
  const groups = new WeakMap<object, { clientSecret: string | undefined; forms: Map<ElementKind, CardForm | null> }>()

  const integrationError = (message: string): Error => {
    const e = new Error(message)
    e.name = "IntegrationError"
    return e
  }

  const intentId = (clientSecret: string): string => {
    const match = /^(pi_[A-Za-z0-9]+)_secret_[A-Za-z0-9]+$/.exec(clientSecret)
    if (!match) {
      throw integrationError(
        `Invalid value for clientSecret: ${clientSecret}. It should be the client_secret of a PaymentIntent ` +
          "(pi_..._secret_...)."
      )
    }
    return match[1]
  }

  /** Stripe's form encoding: nested objects as `a[b][c]=v`. */
  const encode = (value: unknown, prefix: string, out: URLSearchParams): URLSearchParams => {
    if (value === undefined || value === null) {
      return out
    }
    if (typeof value === "object") {
      for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
        encode(inner, prefix ? `${prefix}[${key}]` : key, out)
      }
      return out
    }
    out.append(prefix, String(value))
    return out
  }

  /** The card typed in the form, as `payment_method_data[card]`, or the form's own validation error. */
  const readCard = (
    form: CardForm
  ): { card: { number: string; exp_month: string; exp_year: string; cvc: string } } | { error: StripeError } => {
    const number = form.number.value.replace(/\s+/g, "")
    const expiry = /^\s*(\d{1,2})\s*\/\s*(\d{2}|\d{4})\s*$/.exec(form.expiry.value)
    const cvc = form.cvc.value.trim()
    const fail = (code: string, message: string) => {
      form.error.textContent = message
      return { error: { type: "validation_error" as const, code, message } }
    }
    if (!/^\d{12,19}$/.test(number)) {
      return fail("incomplete_number", "Your card number is incomplete.")
    }
    if (!expiry) {
      return fail("incomplete_expiry", "Your card's expiration date is incomplete.")
    }
    if (!/^\d{3,4}$/.test(cvc)) {
      return fail("incomplete_cvc", "Your card's security code is incomplete.")
    }
    form.error.textContent = ""
    return { card: { number, exp_month: expiry[1], exp_year: expiry[2], cvc } }
  }

  const createForm = (kind: ElementKind): CardForm => {
    const root = doc.createElement("div")
    root.setAttribute("data-sandbox-stripe-element", kind)
    root.style.cssText =
      "display:grid;grid-template-columns:2fr 1fr 1fr;gap:8px;font:14px system-ui,sans-serif;padding:4px 0"
    const field = (name: string, label: string, placeholder: string, autocomplete: string): HTMLInputElement => {
      const wrap = doc.createElement("label")
      wrap.style.cssText = "display:flex;flex-direction:column;gap:4px;color:#30313d"
      wrap.textContent = label
      const input = doc.createElement("input")
      input.name = name
      input.placeholder = placeholder
      input.setAttribute("autocomplete", autocomplete)
      input.inputMode = "numeric"
      input.setAttribute("aria-label", label)
      input.style.cssText =
        "padding:10px;border:1px solid #e6e6e6;border-radius:5px;font:inherit;min-width:0;width:100%;box-sizing:border-box"
      wrap.appendChild(input)
      root.appendChild(wrap)
      return input
    }
    const number = field("cardnumber", "Card number", "1234 1234 1234 1234", "cc-number")
    const expiry = field("exp-date", "Expiration", "MM / YY", "cc-exp")
    const cvc = field("cvc", "CVC", "CVC", "cc-csc")
    const error = doc.createElement("div")
    error.setAttribute("role", "alert")
    error.style.cssText = "grid-column:1/-1;color:#df1b41;min-height:1em"
    root.appendChild(error)
    return { kind, root, number, expiry, cvc, error }
  }

  const createElement = (
    kind: ElementKind,
    group: { forms: Map<ElementKind, CardForm | null> }
  ): StandInElement & { form: CardForm } => {
    const form = createForm(kind)
    const handlers = new Map<string, Set<(event: unknown) => unknown>>()
    const emit = (type: string, event: unknown) => handlers.get(type)?.forEach((h) => h(event))
    const changeEvent = () => ({
      elementType: kind,
      empty: !form.number.value && !form.expiry.value && !form.cvc.value,
      complete: !("error" in readCardQuietly()),
      collapsed: false,
      value: { type: "card" },
    })
    const readCardQuietly = () => {
      const before = form.error.textContent
      const result = readCard(form)
      form.error.textContent = before
      return result
    }
    for (const input of [form.number, form.expiry, form.cvc]) {
      input.addEventListener("input", () => emit("change", changeEvent()))
      input.addEventListener("focus", () => emit("focus", { elementType: kind }))
      input.addEventListener("blur", () => emit("blur", { elementType: kind }))
    }
    group.forms.set(kind, form)
    const element = {
      form,
      mount(target: string | HTMLElement) {
        const node = typeof target === "string" ? doc.querySelector(target) : target
        if (!node) {
          throw integrationError(`The selector you specified (${String(target)}) applies to no DOM elements.`)
        }
        node.appendChild(form.root)
        w.setTimeout(() => emit("ready", { elementType: kind }), 0)
      },
      unmount() {
        form.root.remove()
      },
      destroy() {
        form.root.remove()
        group.forms.set(kind, null)
        handlers.clear()
      },
      on(type: string, handler: (event: unknown) => unknown) {
        if (!handlers.has(type)) handlers.set(type, new Set())
        handlers.get(type)!.add(handler)
        return element
      },
      once(type: string, handler: (event: unknown) => unknown) {
        const wrapped = (event: unknown) => {
          handlers.get(type)?.delete(wrapped)
          return handler(event)
        }
        return element.on(type, wrapped)
      },
      off(type: string, handler?: (event: unknown) => unknown) {
        if (handler) handlers.get(type)?.delete(handler)
        else handlers.delete(type)
        return element
      },
      focus() {
        form.number.focus()
      },
      blur() {
        ;(doc.activeElement as HTMLElement | null)?.blur()
      },
      clear() {
        form.number.value = form.expiry.value = form.cvc.value = ""
        form.error.textContent = ""
      },
      update() {
        return element
      },
    }
    return element as unknown as StandInElement & { form: CardForm }
  }

  /** The 3-D Secure challenge: the sandbox's page in a modal frame, until it reports the buyer's answer. */
  const challenge = (url: string): Promise<void> =>
    new Promise((resolve) => {
      const overlay = doc.createElement("div")
      overlay.setAttribute("data-sandbox-stripe-3ds", "")
      overlay.style.cssText =
        "position:fixed;inset:0;background:rgba(0,0,0,.5);display:flex;align-items:center;justify-content:center;z-index:2147483647"
      const frame = doc.createElement("iframe")
      frame.name = "sandbox-stripe-3ds"
      frame.title = "3D Secure challenge"
      frame.src = url
      frame.style.cssText = "width:420px;height:420px;border:0;border-radius:8px;background:#fff"
      overlay.appendChild(frame)
      const onMessage = (event: MessageEvent) => {
        const data = event.data as { type?: string } | null
        if (event.origin !== sandboxOrigin || data?.type !== "sandbox-stripe-3ds-complete") {
          return
        }
        w.removeEventListener("message", onMessage)
        overlay.remove()
        resolve()
      }
      w.addEventListener("message", onMessage)
      doc.body.appendChild(overlay)
    })

  const makeStripe = (publishableKey: string): StripeStandIn => {
    const api = async (
      method: "GET" | "POST",
      path: string,
      params: URLSearchParams
    ): Promise<{ ok: boolean; body: { error?: StripeError } & Record<string, unknown> }> => {
      const url = `${config.apiBase}${path}${method === "GET" ? `?${params}` : ""}`
      try {
        const res = await w.fetch(url, {
          method,
          headers: {
            authorization: `Bearer ${publishableKey}`,
            ...(method === "POST" ? { "content-type": "application/x-www-form-urlencoded" } : {}),
          },
          body: method === "POST" ? params.toString() : undefined,
        })
        return { ok: res.ok, body: await res.json() }
      } catch (e) {
        return {
          ok: false,
          body: { error: { type: "api_connection_error", message: `Could not reach Stripe: ${(e as Error).message}` } },
        }
      }
    }

    const retrieve = async (clientSecret: string): Promise<PaymentIntentResult> => {
      const res = await api(
        "GET",
        `/v1/payment_intents/${intentId(clientSecret)}`,
        new URLSearchParams({ client_secret: clientSecret })
      )
      return res.ok ? { paymentIntent: res.body as unknown as PaymentIntent } : { error: res.body.error! }
    }

    /** Confirms, runs the 3-D Secure challenge when the intent needs it, and answers as Stripe.js resolves. */
    const confirm = async (
      clientSecret: string,
      body: Record<string, unknown>,
      handleActions: boolean
    ): Promise<PaymentIntentResult> => {
      const id = intentId(clientSecret)
      const res = await api(
        "POST",
        `/v1/payment_intents/${id}/confirm`,
        encode({ ...body, client_secret: clientSecret }, "", new URLSearchParams())
      )
      if (!res.ok) {
        return { error: res.body.error! }
      }
      let intent = res.body as unknown as PaymentIntent
      const action = intent.next_action as {
        type?: string
        use_stripe_sdk?: { stripe_js?: string }
        redirect_to_url?: { url?: string }
      } | null
      if (handleActions && intent.status === "requires_action" && action?.redirect_to_url?.url) {
        // A redirect method (iDEAL): the buyer goes to the bank's page, which sends them back to the return_url.
        w.location.assign(action.redirect_to_url.url)
        return new Promise<never>(() => undefined)
      }
      if (handleActions && intent.status === "requires_action" && action?.use_stripe_sdk?.stripe_js) {
        await challenge(action.use_stripe_sdk.stripe_js)
        const after = await retrieve(clientSecret)
        if (after.error) {
          return after
        }
        intent = after.paymentIntent
      }
      if (intent.status === "requires_payment_method" && intent.last_payment_error) {
        return { error: { ...(intent.last_payment_error as StripeError), payment_intent: intent } }
      }
      return { paymentIntent: intent }
    }

    const stripe = {
      elements(options?: StripeElementsOptionsClientSecret) {
        if (!options?.clientSecret) {
          throw integrationError(
            "The sandbox's Stripe.js stand-in needs elements({ clientSecret }): the client_secret of the PaymentIntent."
          )
        }
        intentId(options.clientSecret)
        const group = { clientSecret: options.clientSecret, forms: new Map<ElementKind, CardForm | null>() }
        const instances = new Map<ElementKind, StandInElement>()
        const elements = {
          create(type: string) {
            if (type !== "payment" && type !== "card") {
              throw integrationError(`The sandbox's Stripe.js stand-in has no ${type} element (only payment and card).`)
            }
            if (group.forms.get(type)) {
              throw integrationError(`Can only create one Element of type ${type}.`)
            }
            const element = createElement(type, group)
            instances.set(type, element)
            return element
          },
          getElement(type: string) {
            // The mounted element (confirmCardPayment takes it as payment_method.card), or null as Stripe.js answers.
            return (group.forms.get(type as ElementKind) ? instances.get(type as ElementKind) : null) as never
          },
          async submit() {
            const form = group.forms.get("payment") ?? group.forms.get("card")
            if (!form) {
              return { error: { type: "validation_error", message: "No Payment Element is mounted." } }
            }
            const card = readCard(form)
            return "error" in card ? { error: card.error } : {}
          },
          update() {
            return elements
          },
          async fetchUpdates() {
            return {}
          },
        }
        groups.set(elements, group)
        return elements as unknown as StripeElements
      },

      async confirmPayment(options: ConfirmOptions) {
        const group = options.elements ? groups.get(options.elements) : undefined
        const clientSecret = options.clientSecret ?? group?.clientSecret
        if (!clientSecret) {
          throw integrationError("stripe.confirmPayment(): pass the elements you created with a clientSecret.")
        }
        const redirect = options.redirect ?? "always"
        const returnUrl = options.confirmParams?.return_url
        if (redirect !== "if_required" && !returnUrl) {
          throw integrationError(
            "stripe.confirmPayment(): the `confirmParams.return_url` argument is required unless passing " +
              '`redirect: "if_required"`.'
          )
        }
        const { return_url: _ignored, payment_method_data, ...rest } = options.confirmParams ?? {}
        const form = group?.forms.get("payment") ?? group?.forms.get("card")
        let method: Record<string, unknown>
        if (typeof rest.payment_method === "string") {
          // A PaymentMethod made before (a saved card, or an iDEAL method): no form is read.
          method = {}
        } else {
          if (!form) {
            throw integrationError("stripe.confirmPayment(): mount a Payment Element of these elements first.")
          }
          const card = readCard(form)
          if ("error" in card) {
            return { error: card.error }
          }
          method = { payment_method_data: { ...payment_method_data, type: "card", card: card.card } }
        }
        // A redirect method redirects to its bank whatever `redirect` says (confirm follows redirect_to_url).
        const result = await confirm(
          clientSecret,
          { ...rest, ...(returnUrl ? { return_url: returnUrl } : {}), ...method },
          true
        )
        if (result.error) {
          if (form) form.error.textContent = result.error.message ?? ""
          return result
        }
        if (redirect !== "if_required") {
          const target = new URL(returnUrl!)
          target.searchParams.set("payment_intent", result.paymentIntent.id)
          target.searchParams.set("payment_intent_client_secret", clientSecret)
          target.searchParams.set("redirect_status", "succeeded")
          w.location.assign(target.toString())
          return new Promise<never>(() => undefined)
        }
        return result
      },

      async confirmCardPayment(
        clientSecret: string,
        data?: ConfirmCardPaymentData,
        options?: ConfirmCardPaymentOptions
      ): Promise<PaymentIntentResult> {
        const method = data?.payment_method
        const body: Record<string, unknown> = {}
        if (typeof method === "string") {
          body.payment_method = method
        } else if (method && "card" in method && method.card) {
          const form = (method.card as unknown as { form?: CardForm }).form
          if (!form) {
            throw integrationError("confirmCardPayment: payment_method.card must be a card or payment Element.")
          }
          const card = readCard(form)
          if ("error" in card) {
            return { error: card.error }
          }
          body.payment_method_data = { type: "card", card: card.card, billing_details: method.billing_details }
        }
        if (data?.return_url) {
          body.return_url = data.return_url
        }
        return confirm(clientSecret, body, options?.handleActions !== false)
      },

      retrievePaymentIntent: retrieve,

      async createPaymentMethod() {
        return {
          error: {
            type: "invalid_request_error",
            message: "The sandbox's Stripe.js stand-in does not create PaymentMethods; confirm the PaymentIntent.",
          },
        }
      },

      async createToken() {
        return {
          error: {
            type: "invalid_request_error",
            message: "The sandbox's Stripe.js stand-in does not create tokens; confirm the PaymentIntent.",
          },
        }
      },

      registerAppInfo() {
        return undefined
      },
    }
    // The methods with one signature in Stripe.js are checked against it as they are; the overloaded ones (elements,
    // confirmPayment, element events) take Stripe.js's own parameter types (ConfirmPaymentData, ...).
    stripe satisfies Pick<Stripe, "confirmCardPayment" | "retrievePaymentIntent" | "registerAppInfo">
    return stripe as unknown as StripeStandIn
  }

  const constructor = (publishableKey: string, _options?: StripeConstructorOptions): Stripe => {
    if (typeof publishableKey !== "string" || !publishableKey) {
      throw integrationError(
        `Invalid value for Stripe(): apiKey should be a string. You specified: ${String(publishableKey)}.`
      )
    }
    if (/^(sk|rk)_/.test(publishableKey)) {
      throw integrationError(
        "You should not use your secret key with Stripe.js. Please pass a publishable key instead."
      )
    }
    if (!/^pk_/.test(publishableKey)) {
      throw integrationError(`Invalid value for Stripe(): ${publishableKey} is not a publishable key (pk_...).`)
    }
    // `_registerWrapper` is how @stripe/stripe-js and @stripe/react-stripe-js announce themselves to Stripe.js.
    return Object.assign(makeStripe(publishableKey), { _registerWrapper: () => undefined }) as unknown as Stripe
  }
  w.Stripe = Object.assign(constructor satisfies StripeConstructor, { version: config.version })
}

/** The element and Elements shapes the stand-in stands for (with the card element's, the same base). */
export type StripeStandInShapes = [StandInElement, StandInElements, StripeCardElement]
