/**
 * A process-wide registry of the plugin's provider instances, for the webhook sync: its subscriber runs in the app's
 * container and cannot reach a provider through the payment module's public API.
 *
 * Two facts of Medusa 2.21 shape it. A provider does not know its own id (`pp_<identifier>_<id>`: the `id` part is
 * only in the loader's registration key), and the payment module constructs providers lazily, on first use. So each
 * instance registers itself by identifier when it is constructed, and a lookup by provider id asks the payment
 * module's provider service for the instance (which constructs it if needed) and remembers it. Medusa loads providers
 * in every process that runs subscribers (server and worker alike), so this works in both; it is the only in-process
 * state the webhook sync relies on.
 */
import type { MedusaContainer } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import type { WebhookSyncProvider } from "./webhook-sync-types"

/** The identifiers of the plugin's providers (`static identifier` of each provider class). */
export const ORCHESTRATOR_IDENTIFIERS = ["stripe", "paypal"] as const

const REGISTRY = Symbol.for("medusa-payment-orchestrator.provider-registry")
/** Set on every plugin provider instance: tells them from other providers with the same identifier. */
export const SYNC_PROVIDER_BRAND = Symbol.for("medusa-payment-orchestrator.sync-provider")

interface Registry {
  byId: Map<string, WebhookSyncProvider>
  byIdentifier: Map<string, Set<WebhookSyncProvider>>
}

function registry(): Registry {
  const holder = globalThis as unknown as Record<symbol, Registry | undefined>
  holder[REGISTRY] ??= { byId: new Map(), byIdentifier: new Map() }
  return holder[REGISTRY]!
}

/** Called by each provider instance when it is constructed. */
export function registerProviderInstance(identifier: string, provider: WebhookSyncProvider): void {
  const { byIdentifier } = registry()
  const set = byIdentifier.get(identifier) ?? new Set()
  set.add(provider)
  byIdentifier.set(identifier, set)
}

/** `stripe_stripe` (the webhook URL's segment) or `pp_stripe_stripe` → `pp_stripe_stripe`. */
export function toProviderId(providerOrSegment: string): string {
  return providerOrSegment.startsWith("pp_") ? providerOrSegment : `pp_${providerOrSegment}`
}

/** The identifier (`stripe`, `paypal`) of one of the plugin's provider ids, or undefined for any other provider. */
export function identifierOf(providerId: string): (typeof ORCHESTRATOR_IDENTIFIERS)[number] | undefined {
  return ORCHESTRATOR_IDENTIFIERS.find((identifier) => providerId.startsWith(`pp_${identifier}_`))
}

function isSyncProvider(value: unknown): value is WebhookSyncProvider {
  return !!value && (value as Record<symbol, unknown>)[SYNC_PROVIDER_BRAND] === true
}

/**
 * The plugin's provider instance for a provider id or webhook URL segment, or null when the id is not one of the
 * plugin's providers (another provider's webhook: not the sync's business).
 */
export function resolveSyncProvider(container: MedusaContainer, providerOrSegment: string): WebhookSyncProvider | null {
  const providerId = toProviderId(providerOrSegment)
  const { byId, byIdentifier } = registry()
  const known = byId.get(providerId)
  if (known) {
    return known
  }
  const identifier = identifierOf(providerId)
  if (!identifier) {
    return null
  }
  const instance = fromPaymentModule(container, providerId)
  if (instance) {
    byId.set(providerId, instance)
    return instance
  }
  // The payment module's provider service is internal; should it ever move, one instance per identifier is still
  // unambiguous. Several (pp_stripe_eu, pp_stripe_us) cannot be told apart without it.
  const candidates = [...(byIdentifier.get(identifier) ?? [])]
  return candidates.length === 1 ? candidates[0] : null
}

/** The payment module's own instance of the provider (constructed on first use, as Medusa does for payments). */
function fromPaymentModule(container: MedusaContainer, providerId: string): WebhookSyncProvider | null {
  let paymentModule: unknown
  try {
    paymentModule = container.resolve(Modules.PAYMENT)
  } catch {
    return null
  }
  const service = (paymentModule as { paymentProviderService_?: { retrieveProvider?: (id: string) => unknown } })
    .paymentProviderService_
  if (typeof service?.retrieveProvider !== "function") {
    return null
  }
  try {
    const instance = service.retrieveProvider(providerId)
    return isSyncProvider(instance) ? instance : null
  } catch {
    return null
  }
}
