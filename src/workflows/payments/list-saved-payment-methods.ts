import type { AccountHolderDTO, IPaymentModuleService } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { createStep, createWorkflow, StepResponse, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import type { SavedPaymentMethodSummary } from "../../gateways/stripe/stripe-payment-methods"
import { identifierOf } from "../../providers/provider-registry"

/** The plugin's providers that keep a customer's payment methods at the PSP (Stripe customers; PayPal vaults are not used). */
const SAVES_PAYMENT_METHODS = new Set(["stripe"])

export interface ListSavedPaymentMethodsInput {
  /** The logged-in customer (the store route's auth actor): never an id a shopper sends. */
  customer_id: string
  /** Only this provider's methods. */
  provider_id?: string
}

export interface SavedPaymentMethod extends SavedPaymentMethodSummary {
  id: string
  provider_id: string
}

const findSavingAccountHoldersStep = createStep(
  "find-saving-account-holders",
  async (input: ListSavedPaymentMethodsInput, { container }) => {
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const { data } = await query.graph({
      entity: "customer",
      fields: ["id", "account_holders.*"],
      filters: { id: input.customer_id },
    })
    const holders = ((data[0] as { account_holders?: AccountHolderDTO[] } | undefined)?.account_holders ?? []).filter(
      (holder) =>
        !!holder &&
        SAVES_PAYMENT_METHODS.has(identifierOf(holder.provider_id) ?? "") &&
        (!input.provider_id || holder.provider_id === input.provider_id)
    )
    return new StepResponse(holders)
  }
)

const listHoldersPaymentMethodsStep = createStep(
  "list-holders-payment-methods",
  async (holders: AccountHolderDTO[], { container }) => {
    const payments = container.resolve<IPaymentModuleService>(Modules.PAYMENT)
    const lists = await Promise.all(
      holders.map(async (holder) => {
        const methods = await payments.listPaymentMethods({
          provider_id: holder.provider_id,
          context: { account_holder: holder },
        })
        return methods.map((method): SavedPaymentMethod => ({
          id: method.id,
          provider_id: holder.provider_id,
          ...(method.data as unknown as SavedPaymentMethodSummary),
        }))
      })
    )
    return new StepResponse(lists.flat())
  }
)

/**
 * The payment methods a logged-in customer saved at checkout (`save_payment_method: true`), as a storefront lists them
 * to pay with one again (customer-initiated: the shopper is present and confirms). Only the customer's own account
 * holders are read, so one customer never sees another's cards.
 */
export const listSavedPaymentMethodsWorkflow = createWorkflow(
  "list-saved-payment-methods",
  (input: ListSavedPaymentMethodsInput) =>
    new WorkflowResponse(listHoldersPaymentMethodsStep(findSavingAccountHoldersStep(input)))
)
