#!/usr/bin/env node
/**
 * `npm run demo`: a Medusa store with the plugin, against the PSP sandbox, with no keys or accounts.
 * Creates the database if needed, runs migrations, seeds a store and an admin user, starts the sandbox and
 * `medusa develop`, places demo orders through the store API with both providers, prints where to log in and a short
 * guided tour of the admin widget, and keeps serving until stopped (Ctrl-C).
 */
const path = require("node:path")
require("./lib/ensure-dependencies").ensureDependencies()
const { resolveDatabaseUrl, redactDatabaseUrl } = require("./lib/database-url")
const { checkDatabase } = require("./lib/check-database")
const {
  ensureDatabase,
  prepareStore,
  root,
  startMedusa,
  storeEnv,
  waitForHealth,
  withDatabaseName,
} = require("./lib/medusa-app")

const port = Number(process.env.PORT || 9000)
const sandboxPort = Number(process.env.PSP_SANDBOX_PORT || 12111)
/** The checkout page's port: 8000, the official storefront's, which the store's CORS allows by default. */
const checkoutPort = Number(process.env.CHECKOUT_PORT || 8000)
const admin = {
  email: process.env.DEMO_ADMIN_EMAIL || "admin@example.com",
  password: process.env.DEMO_ADMIN_PASSWORD || "supersecret",
}
const databaseUrl = resolveDatabaseUrl(process.env)
const baseUrl = `http://localhost:${port}`
/** Medusa processes a webhook 5 s after it arrives; the tour waits this long for the sandbox's to show. */
const WEBHOOK_WAIT_MS = 30_000

/** Set once the sandbox and the server run: stops both, then exits. */
let stop = async (code) => process.exit(code)

function step(message) {
  console.log(`\n> ${message}`)
}

/**
 * `medusa develop` restarts its server when a file of the project changes; a call that hits the restart fails with a
 * network error. Runs `fn` again once the server answers (at most 3 times).
 */
async function acrossRestarts(fn, server) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn()
    } catch (e) {
      const networkError =
        e instanceof TypeError || /fetch failed|ECONNREFUSED|ECONNRESET|socket hang up/.test(e.message)
      if (!networkError || attempt >= 3) {
        throw e
      }
      console.log("  (the server is restarting after a file changed: trying again once it answers)")
      await new Promise((resolve) => setTimeout(resolve, 3000))
      if (!(await waitForHealth(baseUrl, { timeoutMs: 120_000, server }))) {
        throw e
      }
    }
  }
}

function orderUrl(orderId) {
  return `${baseUrl}/app/orders/${orderId}`
}

function money(amount, currency) {
  return `${Number(amount).toFixed(2)} ${currency.toUpperCase()}`
}

function printTour(tour, seen, sandboxUrl) {
  const { captureWithReference: one, captureManually: two, dashboardRefund: three, chargeback: four } = tour
  const pending = "not visible yet: press ↻ in the widget in a few seconds"
  console.log(`
------------------------------------------------------------
 Guided tour: log in, open each order, scroll to "Payment transactions"

 1. Capture part of a Stripe payment with your own reference
    ${orderUrl(one.orderId)}
    ${money(one.total, one.currency)} authorized. Press "Capture", type 50.00 and a custom reference
    (e.g. INV-1001), keep "Non-final", press "Capture": a capture row with your reference appears,
    and Stripe got it in the capture's metadata. Capture the rest later, then "Refund" part of it.

 2. Capture a PayPal payment manually (money taken outside PayPal)
    ${orderUrl(two.orderId)}
    ${money(two.total, two.currency)} authorized at PayPal. Press "Capture manually" and confirm:
    nothing is sent to PayPal, the capture is marked "Manual", and it offers "Mark as refunded"
    instead of a refund through PayPal.

 3. A refund made in the Stripe dashboard, delivered by webhook
    ${orderUrl(three.orderId)}
    Captured through the transactions API, then ${money(three.refundAmountMinor / 100, three.currency)} refunded
    "from the dashboard" (refund ${three.refundId}, by the sandbox): ${seen.refundSeen ? "the refund row is there" : pending}.

 4. A chargeback opened by the buyer's bank, delivered by webhook
    ${orderUrl(four.orderId)}
    Captured, then disputed (${four.disputeId}, by the sandbox): ${seen.disputeSeen ? "the Disputes section shows it" : pending},
    with a warning that refunds are blocked while it is open.

 Act as the PSPs would with the sandbox's control API (${sandboxUrl}/_sandbox, README: "The PSP
 sandbox"). Orders of earlier demo runs point at payments this restarted sandbox no longer holds.
------------------------------------------------------------`)
}

async function main() {
  require("ts-node").register({ swc: true, transpileOnly: true, compilerOptions: { module: "commonjs" } })
  const { startSandbox } = require("../src/sandbox")
  const { AdminClient, checkWebhookDeliveries, placeDemoOrders } = require("../demo/store-orders")
  const { startCheckoutPage } = require("../demo/checkout-page")

  step(`Database: ${redactDatabaseUrl(databaseUrl)}`)
  if (!(await checkDatabase(withDatabaseName(databaseUrl, "postgres"), { purpose: "the demo store" }))) {
    process.exit(1)
  }
  if (await ensureDatabase(databaseUrl)) {
    console.log("  (created)")
  }

  step(`Starting the PSP sandbox on 127.0.0.1:${sandboxPort}`)
  const sandbox = await startSandbox({
    port: sandboxPort,
    stripe: { webhookUrl: `${baseUrl}/hooks/payment/stripe_stripe` },
    paypal: { webhookUrl: `${baseUrl}/hooks/payment/paypal_paypal` },
  })
  const env = storeEnv({ databaseUrl, port, sandboxUrl: `http://127.0.0.1:${sandboxPort}` })
  const checkoutOrigin = `http://localhost:${checkoutPort}`
  if (!env.STORE_CORS.split(",").includes(checkoutOrigin)) {
    env.STORE_CORS = `${env.STORE_CORS},${checkoutOrigin}`
  }

  const seeded = prepareStore({
    env,
    admin,
    seedOutput: path.join(root, ".tmp", "demo-seed.json"),
    onStep: step,
  })
  if (seeded.admin_created === false) {
    console.log(`  (the admin user ${admin.email} exists already: its password was left as it was)`)
  }

  step(`Starting Medusa on ${baseUrl} (medusa develop)`)
  const server = startMedusa({ command: "develop", env })
  let stopping = false
  let checkout = null
  stop = async (code) => {
    if (stopping) {
      return
    }
    stopping = true
    await checkout?.stop()
    await server.stop()
    await sandbox.close()
    process.exit(code)
  }
  process.on("SIGINT", () => void stop(0))
  process.on("SIGTERM", () => void stop(0))
  void server.exited.then(({ code }) => void stop(code ?? 1))

  if (!(await waitForHealth(baseUrl, { timeoutMs: 180_000, server }))) {
    console.error("Medusa did not answer /health within 3 minutes: see its output above.")
    await stop(1)
  }

  step("Placing demo orders through the store API (Stripe and PayPal, the buyer played by the sandbox)")
  let tour = null
  let seen = { refundSeen: false, disputeSeen: false }
  try {
    const client = await acrossRestarts(() => AdminClient.login(baseUrl, admin.email, admin.password), server)
    tour = await acrossRestarts(
      () => placeDemoOrders({ baseUrl, store: seeded, control: sandbox.control, admin: client }),
      server
    )
    step("Waiting for the sandbox's webhooks (a dashboard refund, a chargeback) to reach the store")
    seen = await checkWebhookDeliveries(client, tour, WEBHOOK_WAIT_MS)
  } catch (e) {
    console.error(`  The demo orders could not be placed: ${e.message}`)
  }

  step(`Serving the checkout page on http://localhost:${checkoutPort} (Vite, demo/storefront)`)
  try {
    checkout = await startCheckoutPage({
      port: checkoutPort,
      output: path.join(root, ".tmp", "demo-checkout-vite.log"),
      config: {
        medusaUrl: baseUrl,
        publishableKey: seeded.publishable_key,
        regionId: seeded.region_id,
        variantId: seeded.variant_id,
        shippingOptionId: seeded.shipping_option_id,
        sandboxUrl: sandbox.url,
        stripePublishableKey: sandbox.stripe.publishableKey,
        paypalClientId: sandbox.paypal.clientId,
      },
    })
  } catch (e) {
    console.error(`  The checkout page could not be served (CHECKOUT_PORT picks another port): ${e.message}`)
  }

  console.log(`
============================================================
 medusa-payment-orchestrator demo is running (Ctrl-C stops it)
${
  checkout
    ? `
 Checkout page:    ${checkout.url}
   Buy with a card (4242 4242 4242 4242 pays; 4000 0000 0000 0002 is declined; 4000 0027 6000 3184 asks
   for 3-D Secure) or with PayPal (approve or cancel in the sandbox's PayPal window), then find the order
   in the admin below.
`
    : ""
}
 Admin:            ${baseUrl}/app
   email:          ${admin.email}
   password:       ${admin.password}
 Store API:        ${baseUrl}/store
   publishable key: ${seeded.publishable_key}
   region:         ${seeded.region_id} (providers pp_stripe_stripe, pp_paypal_paypal)
 PSP sandbox:      ${sandbox.url} (control API ${sandbox.url}/_sandbox)
   Stripe key:     ${sandbox.stripe.apiKey} (sandbox only)
   PayPal client:  ${sandbox.paypal.clientId} (sandbox only)

 Try: curl -H "x-publishable-api-key: ${seeded.publishable_key}" ${baseUrl}/store/products
============================================================`)
  if (tour) {
    printTour(tour, seen, sandbox.url)
  }
}

main().catch((e) => {
  console.error(`The demo could not start: ${e.message}`)
  void stop(1)
})
