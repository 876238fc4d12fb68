/**
 * `npm run bench` only: the baseline store. The same Medusa settings as the repository's store (`medusa-config.ts`),
 * with the official `@medusajs/payment-stripe` provider as its only payment provider (`pp_stripe_official`, pointed at
 * the PSP sandbox by `bench/official-stripe-provider.ts`) and nothing of the plugin: this directory is the project, so
 * the plugin's `src/` (its module, middlewares, routes, subscribers, jobs, providers) is not loaded.
 */
import { defineConfig } from "@medusajs/framework/utils"
import path from "node:path"
import { resolveDatabaseUrl } from "../../scripts/lib/database-url"

const sandboxUrl = (process.env.PSP_SANDBOX_URL || "http://127.0.0.1:12111").replace(/\/+$/, "")

module.exports = defineConfig({
  projectConfig: {
    databaseUrl: resolveDatabaseUrl(process.env),
    workerMode: "shared",
    http: {
      storeCors: process.env.STORE_CORS || "http://localhost:8000,http://localhost:9000",
      adminCors: process.env.ADMIN_CORS || "http://localhost:9000,http://localhost:5173",
      authCors: process.env.AUTH_CORS || "http://localhost:8000,http://localhost:9000,http://localhost:5173",
      jwtSecret: process.env.JWT_SECRET || "development-only-jwt-secret",
      cookieSecret: process.env.COOKIE_SECRET || "development-only-cookie-secret",
    },
  },
  admin: { disable: true },
  modules: [
    {
      resolve: "@medusajs/medusa/payment",
      options: {
        providers: [
          {
            resolve: path.join(__dirname, "..", "official-stripe-provider"),
            id: "official",
            options: {
              apiKey: process.env.STRIPE_API_KEY || "sk_test_sandbox",
              webhookSecret: process.env.STRIPE_WEBHOOK_SECRET || "whsec_sandbox",
              apiBaseUrl: sandboxUrl,
            },
          },
        ],
      },
    },
  ],
})
