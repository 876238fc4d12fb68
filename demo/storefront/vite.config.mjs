// The demo checkout page's Vite config: the storefront kit from this repository's source, the page's settings from
// CHECKOUT_CONFIG (JSON of CheckoutPageConfig, set by serve.ts).
import path from "node:path"
import { fileURLToPath } from "node:url"

const here = path.dirname(fileURLToPath(import.meta.url))
const root = path.resolve(here, "../..")

export default {
  root: here,
  cacheDir: path.join(root, ".tmp", "vite-checkout"),
  esbuild: { jsx: "automatic" },
  resolve: {
    alias: [
      {
        find: /^medusa-payment-orchestrator\/storefront\/stripe$/,
        replacement: path.join(root, "storefront/src/stripe.ts"),
      },
      { find: /^medusa-payment-orchestrator\/storefront$/, replacement: path.join(root, "storefront/src/index.ts") },
    ],
  },
  define: { __CHECKOUT_CONFIG__: process.env.CHECKOUT_CONFIG || "null" },
  server: { host: "localhost", strictPort: true },
  optimizeDeps: {
    include: [
      "react",
      "react-dom/client",
      "react/jsx-runtime",
      "@stripe/react-stripe-js",
      "@stripe/stripe-js/pure",
      "@paypal/react-paypal-js",
      "@medusajs/js-sdk",
    ],
  },
  clearScreen: false,
}
