/**
 * The development and test store of this repository: it loads the plugin from `src/` and registers both providers
 * against the PSP sandbox. It is not part of the published package (see README for a store's own config).
 */
import { defineConfig, loadEnv } from "@medusajs/framework/utils"
import { resolveDatabaseUrl } from "./scripts/lib/database-url"

loadEnv(process.env.NODE_ENV || "development", process.cwd())

const sandboxUrl = (process.env.PSP_SANDBOX_URL || "http://127.0.0.1:12111").replace(/\/+$/, "")

module.exports = defineConfig({
  projectConfig: {
    databaseUrl: resolveDatabaseUrl(process.env),
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
    { resolve: "./src/modules/payment-orchestrator" },
    {
      resolve: "@medusajs/medusa/payment",
      options: {
        providers: [
          {
            resolve: "./src/providers/stripe",
            id: "stripe",
            options: {
              apiKey: process.env.STRIPE_API_KEY || "sk_test_sandbox",
              webhookSecret: process.env.STRIPE_WEBHOOK_SECRET || "whsec_sandbox",
              apiBaseUrl: process.env.STRIPE_API_BASE_URL || sandboxUrl,
              maxNetworkRetries: 2,
              timeoutMs: 10_000,
            },
          },
          {
            resolve: "./src/providers/paypal",
            id: "paypal",
            options: {
              clientId: process.env.PAYPAL_CLIENT_ID || "sandbox-client-id",
              clientSecret: process.env.PAYPAL_CLIENT_SECRET || "sandbox-client-secret",
              webhookId: process.env.PAYPAL_WEBHOOK_ID || "WH-SANDBOX",
              apiBaseUrl: process.env.PAYPAL_API_BASE_URL || `${sandboxUrl}/paypal`,
              maxNetworkRetries: 2,
              timeoutMs: 10_000,
            },
          },
        ],
      },
    },
  ],
})
