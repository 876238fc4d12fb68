/** `/v1/customers` and `/v1/payment_methods`: enough for saved cards and off-session payments. */
import type { StripeFakeContext } from "./context"
import { invalidRequest, resourceMissing } from "./errors"
import type { ApiRoutes } from "./http"
import { buildCustomer } from "./objects"
import { allowParams, list, mergeMetadata, obj, ok, requireStr, str } from "./params"
import {
  attachPaymentMethod,
  createIdealPaymentMethod,
  detachPaymentMethod,
  requireCustomer,
  resolvePaymentMethod,
} from "./payment-methods"
import type { CustomerObject, PaymentMethodObject } from "./state"
import type { ParsedBody } from "../core/body"
import type { SandboxRequest } from "../core/router"

const CUSTOMER_PARAMS = [
  "email",
  "name",
  "description",
  "phone",
  "metadata",
  "address",
  "shipping",
  "payment_method",
  "invoice_settings",
  "preferred_locales",
  "balance",
]

function applyCustomerFields(customer: CustomerObject, body: ParsedBody): void {
  if ("email" in body) customer.email = str(body, "email") ?? null
  if ("name" in body) customer.name = str(body, "name") ?? null
  if ("description" in body) customer.description = str(body, "description") ?? null
  if ("phone" in body) customer.phone = str(body, "phone") ?? null
  if ("address" in body) customer.address = obj(body, "address") ?? null
  if ("shipping" in body) customer.shipping = obj(body, "shipping") ?? null
  customer.metadata = mergeMetadata(customer.metadata, body)
}

function findCustomer(f: StripeFakeContext, id: string): CustomerObject {
  if (f.state.deletedCustomers.has(id)) {
    throw invalidRequest(`No such customer: '${id}'; it has been deleted.`, { code: "resource_missing", param: "id" })
  }
  return requireCustomer(f, id, "id")
}

function findPaymentMethod(f: StripeFakeContext, id: string): PaymentMethodObject {
  const pm = f.state.paymentMethods.get(id)
  if (!pm) {
    throw resourceMissing("payment_method", id, "payment_method")
  }
  return pm
}

function paymentMethodsOf(f: StripeFakeContext, req: SandboxRequest, customer: string): PaymentMethodObject[] {
  const type = req.query.get("type")
  return [...f.state.paymentMethods.values()]
    .filter((pm) => pm.customer === customer && (!type || pm.type === type))
    .reverse()
}

export function registerCustomerRoutes(f: StripeFakeContext, api: ApiRoutes): void {
  api.post("/customers", (req, meta) => {
    allowParams(req.body, CUSTOMER_PARAMS)
    const customer = buildCustomer(f.ctx.clock.unix())
    applyCustomerFields(customer, req.body)
    f.state.customers.set(customer.id, customer)
    f.events.emit("customer.created", customer, meta)
    const pmId = str(req.body, "payment_method")
    if (pmId) {
      attachPaymentMethod(f, resolvePaymentMethod(f, pmId), customer.id, meta)
    }
    return ok(customer, meta)
  })

  api.get("/customers", (req, meta) => {
    const email = req.query.get("email")
    const items = [...f.state.customers.values()].filter((c) => !email || c.email === email).reverse()
    return ok(list(req, items, "/v1/customers"), meta)
  })

  api.get("/customers/:id", (req, meta) => {
    if (f.state.deletedCustomers.has(req.params.id)) {
      return ok({ id: req.params.id, object: "customer", deleted: true }, meta)
    }
    return ok(findCustomer(f, req.params.id), meta)
  })

  api.post("/customers/:id", (req, meta) => {
    const customer = findCustomer(f, req.params.id)
    allowParams(req.body, CUSTOMER_PARAMS)
    const before = { ...customer }
    applyCustomerFields(customer, req.body)
    const settings = obj(req.body, "invoice_settings")
    if (settings && "default_payment_method" in settings) {
      const pmId = settings.default_payment_method ? String(settings.default_payment_method) : null
      if (pmId && findPaymentMethod(f, pmId).customer !== customer.id) {
        throw invalidRequest(`The PaymentMethod ${pmId} is not attached to customer ${customer.id}.`, {
          param: "invoice_settings[default_payment_method]",
        })
      }
      customer.invoice_settings.default_payment_method = pmId
    }
    const previous: Record<string, unknown> = {}
    for (const key of Object.keys(req.body)) {
      if (key in before) previous[key] = (before as unknown as Record<string, unknown>)[key]
    }
    f.events.emit("customer.updated", customer, meta, previous)
    return ok(customer, meta)
  })

  api.delete("/customers/:id", (req, meta) => {
    const customer = findCustomer(f, req.params.id)
    f.state.customers.delete(customer.id)
    f.state.deletedCustomers.add(customer.id)
    for (const pm of f.state.paymentMethods.values()) {
      if (pm.customer === customer.id) {
        pm.customer = null
      }
    }
    f.events.emit("customer.deleted", customer, meta)
    return ok({ id: customer.id, object: "customer", deleted: true }, meta)
  })

  api.get("/customers/:id/payment_methods", (req, meta) => {
    const customer = findCustomer(f, req.params.id)
    return ok(list(req, paymentMethodsOf(f, req, customer.id), `/v1/customers/${customer.id}/payment_methods`), meta)
  })

  api.get("/customers/:id/payment_methods/:pm", (req, meta) => {
    const customer = findCustomer(f, req.params.id)
    const pm = findPaymentMethod(f, req.params.pm)
    if (pm.customer !== customer.id) {
      throw resourceMissing("payment_method", pm.id, "payment_method")
    }
    return ok(pm, meta)
  })

  api.get("/payment_methods", (req, meta) => {
    const customer = req.query.get("customer")
    if (!customer) {
      throw invalidRequest("Missing required param: customer.", { code: "parameter_missing", param: "customer" })
    }
    return ok(list(req, paymentMethodsOf(f, req, customer), "/v1/payment_methods"), meta)
  })

  // Creating a PaymentMethod: iDEAL only (`type=ideal`, optional `ideal[bank]`). Cards come from test tokens
  // (`pm_card_visa`) or from Stripe.js; Stripe refuses raw card numbers from a server.
  api.post("/payment_methods", (req, meta) => {
    allowParams(req.body, ["type", "ideal", "billing_details", "metadata"])
    const type = requireStr(req.body, "type")
    if (type !== "ideal") {
      throw invalidRequest(
        `The sandbox creates PaymentMethods of type ideal only, not ${type}: use a test token such as pm_card_visa ` +
          "for a card.",
        { param: "type" }
      )
    }
    const pm = createIdealPaymentMethod(f, req.body, "")
    pm.metadata = mergeMetadata(pm.metadata, req.body)
    return ok(pm, meta)
  })

  api.get("/payment_methods/:id", (req, meta) => {
    const id = req.params.id
    return ok(f.state.paymentMethods.get(id) ?? resolvePaymentMethod(f, id, "id").pm, meta)
  })

  api.post("/payment_methods/:id", (req, meta) => {
    const pm = findPaymentMethod(f, req.params.id)
    allowParams(req.body, ["metadata", "billing_details", "allow_redisplay"])
    pm.metadata = mergeMetadata(pm.metadata, req.body)
    const billing = obj(req.body, "billing_details")
    if (billing) pm.billing_details = { ...pm.billing_details, ...billing }
    f.events.emit("payment_method.updated", pm, meta)
    return ok(pm, meta)
  })

  api.post("/payment_methods/:id/attach", (req, meta) => {
    allowParams(req.body, ["customer"])
    const customer = requireStr(req.body, "customer")
    const pm = attachPaymentMethod(f, resolvePaymentMethod(f, req.params.id, "payment_method"), customer, meta)
    return ok(pm, meta)
  })

  api.post("/payment_methods/:id/detach", (req, meta) => {
    const pm = findPaymentMethod(f, req.params.id)
    return ok(detachPaymentMethod(f, pm, meta), meta)
  })
}
