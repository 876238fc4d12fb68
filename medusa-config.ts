/**
 * The development and test store of this repository: it loads the plugin from `src/` and registers both providers
 * against the PSP sandbox. It is not part of the published package (see README for a store's own config).
 */
import { defineConfig, loadEnv } from "@medusajs/framework/utils"
import path from "node:path"
import { resolveDatabaseUrl } from "./scripts/lib/database-url"

loadEnv(process.env.NODE_ENV || "development", process.cwd())

const sandboxUrl = (process.env.PSP_SANDBOX_URL || "http://127.0.0.1:12111").replace(/\/+$/, "")

module.exports = defineConfig({
  projectConfig: {
    databaseUrl: resolveDatabaseUrl(process.env),
    redisUrl: process.env.REDIS_URL || undefined,
    workerMode: (process.env.MEDUSA_WORKER_MODE as "shared" | "worker" | "server" | undefined) || "shared",
    http: {
      storeCors: process.env.STORE_CORS || "http://localhost:8000,http://localhost:9000",
      adminCors: process.env.ADMIN_CORS || "http://localhost:9000,http://localhost:5173",
      authCors: process.env.AUTH_CORS || "http://localhost:8000,http://localhost:9000,http://localhost:5173",
      jwtSecret: process.env.JWT_SECRET || "development-only-jwt-secret",
      cookieSecret: process.env.COOKIE_SECRET || "development-only-cookie-secret",
    },
  },
  admin: {
    disable: process.env.MEDUSA_ADMIN_DISABLED === "true",
  },
  modules: [
    {
      resolve: "./src/modules/payment-orchestrator",
      // The reconciliation sweep (README "Reconciliation") is off in this development and test store, so that it never
      // repairs what a test is about to check; ORCHESTRATOR_RECONCILE_SWEEP=on turns it on.
      // ORCHESTRATOR_WEBHOOK_RETRY_DELAY_MS: tests that make the webhook sync fail set its retry wait short (README
      // "Webhook sync"); unset, the plugin's default (1 s, doubling).
      options: {
        reconciliation: { enabled: process.env.ORCHESTRATOR_RECONCILE_SWEEP === "on" },
        webhookSync: process.env.ORCHESTRATOR_WEBHOOK_RETRY_DELAY_MS
          ? { retryDelayMs: Number(process.env.ORCHESTRATOR_WEBHOOK_RETRY_DELAY_MS) }
          : {},
      },
    },
    ...redisModules(),
    {
      resolve: "@medusajs/medusa/payment",
      options: {
        providers: [stripeProvider("stripe"), paypalProvider("paypal"), ...benchProviders(), ...optionProviders()],
      },
    },
  ],
})

/**
 * The PSP clients of this store: 10 s a request and 2 retries. Tests that inject PSP faults may set them shorter for
 * their own app (PSP_TIMEOUT_MS, PSP_MAX_NETWORK_RETRIES in process.env before the app boots), so that a timed-out
 * request does not cost them 10 s each.
 */
function pspClientSettings() {
  return {
    maxNetworkRetries: Number(process.env.PSP_MAX_NETWORK_RETRIES || 2),
    timeoutMs: Number(process.env.PSP_TIMEOUT_MS || 10_000),
  }
}

/**
 * `npm run bench` only (ORCHESTRATOR_BENCH=true): the official @medusajs/payment-stripe provider beside ours, as
 * `pp_stripe_official`, against the same sandbox. Off, the store is the development store above.
 */
function benchProviders() {
  if (process.env.ORCHESTRATOR_BENCH !== "true") {
    return []
  }
  return [
    {
      // Absolute: Medusa reads a "./…" provider path as relative to src/.
      resolve: path.join(__dirname, "bench", "official-stripe-provider"),
      id: "official",
      options: {
        apiKey: process.env.STRIPE_API_KEY || "sk_test_sandbox",
        webhookSecret: process.env.STRIPE_WEBHOOK_SECRET || "whsec_sandbox",
        apiBaseUrl: sandboxUrl,
      },
    },
  ]
}

/**
 * With ORCHESTRATOR_OPTION_PROVIDERS=on (the provider test files), one more provider per PSP with the options the
 * default ones leave unset: capture at payment (`capture: true`) and the merchant's statement descriptor; and a Stripe
 * provider offering card and iDEAL (`pp_stripe_methods`, a redirect method captured when the buyer pays).
 */
function optionProviders() {
  if (process.env.ORCHESTRATOR_OPTION_PROVIDERS !== "on") {
    return []
  }
  return [
    stripeProvider("autocapture", { capture: true, statementDescriptor: "ORCHESTRA SHOP" }),
    paypalProvider("autocapture", { capture: true, softDescriptor: "ORCHESTRA SHOP" }),
    stripeProvider("methods", { paymentMethodTypes: ["card", "ideal"] }),
  ]
}

/** The plugin's Stripe provider `pp_stripe_<id>` against the sandbox (or the keys and host in the environment). */
function stripeProvider(id: string, options: Record<string, unknown> = {}) {
  return {
    resolve: "./src/providers/stripe",
    id,
    options: {
      apiKey: process.env.STRIPE_API_KEY || "sk_test_sandbox",
      webhookSecret: process.env.STRIPE_WEBHOOK_SECRET || "whsec_sandbox",
      apiBaseUrl: process.env.STRIPE_API_BASE_URL || sandboxUrl,
      ...pspClientSettings(),
      ...options,
    },
  }
}

/** The plugin's PayPal provider `pp_paypal_<id>` against the sandbox (or the credentials and host in the environment). */
function paypalProvider(id: string, options: Record<string, unknown> = {}) {
  return {
    resolve: "./src/providers/paypal",
    id,
    options: {
      clientId: process.env.PAYPAL_CLIENT_ID || "sandbox-client-id",
      clientSecret: process.env.PAYPAL_CLIENT_SECRET || "sandbox-client-secret",
      webhookId: process.env.PAYPAL_WEBHOOK_ID || "WH-SANDBOX",
      apiBaseUrl: process.env.PAYPAL_API_BASE_URL || `${sandboxUrl}/paypal`,
      ...pspClientSettings(),
      ...options,
    },
  }
}

/**
 * With REDIS_URL set, the store runs as it would on several instances: Redis event bus, workflow engine and locking
 * (the multi-instance test runs a server and a worker this way). Without it, Medusa's in-process defaults.
 */
function redisModules() {
  const redisUrl = process.env.REDIS_URL
  if (!redisUrl) {
    return []
  }
  return [
    { resolve: "@medusajs/medusa/event-bus-redis", options: { redisUrl } },
    { resolve: "@medusajs/medusa/workflow-engine-redis", options: { redis: { redisUrl } } },
    {
      resolve: "@medusajs/medusa/locking",
      options: {
        providers: [
          { resolve: "@medusajs/medusa/locking-redis", id: "locking-redis", is_default: true, options: { redisUrl } },
        ],
      },
    },
  ]
}
