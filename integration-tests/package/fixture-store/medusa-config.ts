/** A user's store: the plugin comes from node_modules (the packed tarball), never from the repository's src/. */
import { defineConfig } from "@medusajs/framework/utils"

const sandboxUrl = process.env.PSP_SANDBOX_URL || "http://127.0.0.1:12111"

module.exports = defineConfig({
  projectConfig: {
    databaseUrl: process.env.DATABASE_URL,
    http: {
      storeCors: "*",
      adminCors: "*",
      authCors: "*",
      jwtSecret: "fixture-store-jwt",
      cookieSecret: "fixture-store-cookie",
    },
  },
  plugins: [{ resolve: "medusa-payment-orchestrator", options: {} }],
  modules: [
    {
      resolve: "@medusajs/medusa/payment",
      options: {
        providers: [
          {
            resolve: "medusa-payment-orchestrator/providers/stripe",
            id: "packed",
            options: { apiKey: "sk_test_sandbox", webhookSecret: "whsec_sandbox", apiBaseUrl: sandboxUrl },
          },
          {
            resolve: "medusa-payment-orchestrator/providers/paypal",
            id: "packed",
            options: {
              clientId: "sandbox-client-id",
              clientSecret: "sandbox-client-secret",
              webhookId: "WH-SANDBOX",
              apiBaseUrl: `${sandboxUrl}/paypal`,
            },
          },
        ],
      },
    },
  ],
})
