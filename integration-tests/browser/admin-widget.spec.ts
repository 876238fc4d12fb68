/**
 * The admin widget in a real browser: Debian's Chromium driven by playwright-core against this repository's store,
 * run as `medusa start` in development mode (the admin served by Vite, the plugin loaded from `src/`), on a fresh
 * database, with the PSP sandbox delivering its webhooks to it. An order is placed through the store API as a
 * storefront places it; then a person's path through the admin: log in, open the order, capture part of it with a
 * custom reference, refund part of the capture, and watch a chargeback opened at the PSP arrive.
 *
 * One app, one browser, steps in order (each needs the ones before it). Screenshots of every step, the server's log
 * and the timings go to artifacts/browser/; README_SCREENSHOTS=1 (`npm run screenshots`) also refreshes the README's
 * screenshots in docs/screenshots/.
 */
import fs from "node:fs"
import path from "node:path"
import type { Browser, Locator, Page } from "playwright-core"
import { AdminClient, placeOrder, STRIPE_PROVIDER, type PlacedOrder } from "../../demo/store-orders"
import { chromiumPath, launchChromium } from "../../scripts/lib/chromium"
import { resolveDatabaseUrl } from "../../scripts/lib/database-url"
import {
  dropDatabase,
  ensureDatabase,
  freePort,
  prepareStore,
  root,
  startMedusa,
  storeEnv,
  waitForHealth,
  withDatabaseName,
  type MedusaServer,
  type SeededStoreFile,
} from "../../scripts/lib/medusa-app"
import { startSandbox, type RunningSandbox } from "../../src/sandbox"

const ARTIFACTS = path.join(root, "artifacts", "browser")
const README_SCREENSHOTS = process.env.README_SCREENSHOTS === "1" ? path.join(root, "docs", "screenshots") : null
const SERVER_LOG = path.join(ARTIFACTS, "medusa.log")
const ADMIN = { email: "browser-test@example.com", password: "supersecret" }
/**
 * A laptop's screen. The README's screenshots are taken wider, where the order page's main column fits the
 * transactions table, and less tall, so the capture drawer has little empty space.
 */
const VIEWPORT = README_SCREENSHOTS ? { width: 1920, height: 760 } : { width: 1280, height: 800 }
const CUSTOM_REFERENCE = "INV-1001"
/** Medusa processes a webhook 5 s after it arrives; then the sync records it. */
const WEBHOOK_DEADLINE_MS = 60_000

jest.setTimeout(120_000)

const timings: Record<string, number> = {}
let sandbox: RunningSandbox | undefined
let server: MedusaServer | undefined
let browser: Browser | undefined
let page: Page
let databaseUrl: string | undefined
let baseUrl: string
let store: SeededStoreFile
let order: PlacedOrder

async function timed<T>(label: string, fn: () => Promise<T> | T): Promise<T> {
  const started = Date.now()
  try {
    return await fn()
  } finally {
    timings[label] = Date.now() - started
  }
}

function serverLogTail(lines = 40): string {
  try {
    return fs.readFileSync(SERVER_LOG, "utf8").split("\n").slice(-lines).join("\n")
  } catch {
    return "(no server log)"
  }
}

/**
 * A screenshot of the page into artifacts/browser/. With README_SCREENSHOTS=1, also one of `readme.of` (the widget, a
 * drawer) into docs/screenshots/<readme.name>.png for the README.
 */
async function screenshot(name: string, readme?: { name: string; of: Locator }): Promise<void> {
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) })
  if (README_SCREENSHOTS && readme) {
    fs.mkdirSync(README_SCREENSHOTS, { recursive: true })
    await page.mouse.move(0, 0) // no row left highlighted by the last click
    await readme.of.screenshot({ path: path.join(README_SCREENSHOTS, `${readme.name}.png`) })
  }
}

const failedSteps: string[] = []

/** A test step: screenshots the page when it fails; a step whose prerequisite failed fails at once, saying which. */
function step(name: string, requires: string[], fn: () => Promise<void>, timeoutMs?: number): void {
  it(
    name,
    async () => {
      const missing = requires.filter((r) => failedSteps.includes(r))
      if (missing.length) {
        failedSteps.push(name)
        throw new Error(`Not run: it needs "${missing.join('", "')}", which failed.`)
      }
      try {
        await timed(name, fn)
      } catch (e) {
        failedSteps.push(name)
        if (browser && page) {
          await page
            .screenshot({ path: path.join(ARTIFACTS, `failed-${name.replace(/\W+/g, "-")}.png`) })
            .catch(() => undefined)
        }
        throw e
      }
    },
    timeoutMs
  )
}

const widget = (): Locator => page.getByTestId("order-transactions-widget")
const rows = (type: "authorize" | "capture" | "refund"): Locator =>
  widget().locator(`[data-testid="order-transaction-row"][data-transaction-type="${type}"]`)
const cell = (row: Locator, testId: string): Locator => row.getByTestId(testId)

beforeAll(async () => {
  chromiumPath() // no browser: say so now, not after booting the store
  fs.rmSync(ARTIFACTS, { recursive: true, force: true })
  fs.mkdirSync(ARTIFACTS, { recursive: true })

  const port = await freePort()
  baseUrl = `http://localhost:${port}`
  sandbox = await timed("sandbox", () =>
    startSandbox({
      port: 0,
      stripe: { webhookUrl: `${baseUrl}/hooks/payment/stripe_stripe` },
      paypal: { webhookUrl: `${baseUrl}/hooks/payment/paypal_paypal` },
    })
  )

  databaseUrl = withDatabaseName(resolveDatabaseUrl(process.env), `medusa_po_browser_${process.pid}`)
  await ensureDatabase(databaseUrl, { fresh: true })
  const env = storeEnv({ databaseUrl, port, sandboxUrl: sandbox.url, extra: { MEDUSA_ADMIN_DISABLED: "false" } })
  try {
    store = await timed("migrate and seed", () =>
      prepareStore({ env, admin: ADMIN, seedOutput: path.join(ARTIFACTS, "seed.json"), output: SERVER_LOG })
    )
    server = startMedusa({ command: "start", env, output: SERVER_LOG })
    const healthy = await timed("server up", () => waitForHealth(baseUrl, { timeoutMs: 120_000, server }))
    if (!healthy) {
      throw new Error(`Medusa did not answer ${baseUrl}/health.`)
    }
  } catch (e) {
    throw new Error(`${(e as Error).message}\n--- end of ${SERVER_LOG} ---\n${serverLogTail()}`)
  }

  order = await timed("order through the store API", () =>
    placeOrder({ baseUrl, store, control: sandbox!.control, provider: STRIPE_PROVIDER })
  )

  browser = await timed("browser", () => launchChromium())
  page = await browser.newPage({ viewport: VIEWPORT })
}, 360_000)

afterAll(async () => {
  await browser?.close().catch(() => undefined)
  await server?.stop()
  await sandbox?.close()
  if (databaseUrl) {
    await dropDatabase(databaseUrl).catch(() => undefined)
  }
  fs.mkdirSync(ARTIFACTS, { recursive: true })
  fs.writeFileSync(path.join(ARTIFACTS, "timings.json"), JSON.stringify(timings, null, 2))
  const summary = Object.entries(timings)
    .map(([label, ms]) => `${label} ${(ms / 1000).toFixed(1)} s`)
    .join(", ")
  process.stdout.write(`\nbrowser test timings: ${summary}\nartifacts: ${path.relative(root, ARTIFACTS)}/\n`)
}, 60_000)

describe("the order page's payment widget, in Chromium", () => {
  step(
    "logs into the admin and finds the order's authorization in the widget",
    [],
    async () => {
      // The first visit makes Vite bundle the dashboard's dependencies: up to a minute or two on a cold machine.
      await page.goto(`${baseUrl}/app/login`, { timeout: 180_000 })
      await page.locator('input[name="email"]').fill(ADMIN.email, { timeout: 180_000 })
      await page.locator('input[name="password"]').fill(ADMIN.password)
      await page.locator('button[type="submit"]').click()
      await page.waitForURL(/\/app\/orders/, { timeout: 60_000 })

      await page.goto(`${baseUrl}/app/orders/${order.orderId}`)
      await widget().waitFor({ timeout: 60_000 })
      await rows("authorize").first().waitFor({ timeout: 30_000 })
      await widget().scrollIntoViewIfNeeded()

      expect(await rows("authorize").count()).toBe(1)
      const auth = rows("authorize").first()
      expect(await auth.getAttribute("data-detailed-status")).toBe("authorized")
      expect(await cell(auth, "order-transaction-reference").innerText()).toBe(order.reference)
      expect(await cell(auth, "order-transaction-amount").innerText()).toBe("$70.00")
      await screenshot("01-order-authorized")
    },
    300_000
  )

  step(
    "captures part of it with a custom reference",
    ["logs into the admin and finds the order's authorization in the widget"],
    async () => {
      await rows("authorize").first().getByTestId("transaction-action-capture").click()
      const amount = page.getByTestId("capture-form-amount")
      await amount.waitFor()
      expect(await amount.inputValue()).toBe("70.00")
      await amount.fill("30.00")
      await page.getByTestId("capture-form-custom-reference").fill(CUSTOM_REFERENCE)
      await screenshot("02-capture-form", { name: "capture-form", of: page.getByTestId("capture-form") })
      await page.getByTestId("capture-form-submit").click()

      await page.getByTestId("order-transactions-toast-success").filter({ hasText: "$30.00 captured." }).waitFor()
      const capture = rows("capture").first()
      await capture.waitFor()
      await page.getByTestId("capture-form").waitFor({ state: "detached" })
      expect(await cell(capture, "order-transaction-custom-reference").innerText()).toBe(CUSTOM_REFERENCE)
      expect(await cell(capture, "order-transaction-amount").innerText()).toBe("$30.00")
      expect(await capture.getAttribute("data-status")).toBe("complete")

      // What reached Stripe: 30.00 captured with the reference in the capture's metadata.
      const psp = await sandbox!.control.stripe.inspectPaymentIntent(order.reference)
      expect(psp.captures).toEqual([
        expect.objectContaining({
          amount: 3000,
          final: false,
          metadata: expect.objectContaining({ custom_reference: CUSTOM_REFERENCE }),
        }),
      ])
      await widget().scrollIntoViewIfNeeded()
      await screenshot("03-captured")
    }
  )

  step("refunds part of the capture", ["captures part of it with a custom reference"], async () => {
    await rows("capture").first().getByTestId("transaction-action-refund").click()
    const amount = page.getByTestId("refund-form-amount")
    await amount.waitFor()
    expect(await amount.inputValue()).toBe("30.00")
    await amount.fill("10.00")
    await page.getByTestId("refund-form-submit").click()

    await page.getByTestId("order-transactions-toast-success").filter({ hasText: "$10.00 refunded." }).waitFor()
    const refund = rows("refund").first()
    await refund.waitFor()
    await page.getByTestId("refund-form").waitFor({ state: "detached" })
    expect(await cell(refund, "order-transaction-amount").innerText()).toBe("$10.00")
    const capture = rows("capture").first()
    expect(await capture.getAttribute("data-detailed-status")).toBe("partially-refunded")
    expect(await cell(capture, "order-transaction-refunded").innerText()).toBe("$10.00")

    const psp = await sandbox!.control.stripe.inspectPaymentIntent(order.reference)
    expect(psp.refunds.map((r) => r.amount)).toEqual([1000])
    await widget().scrollIntoViewIfNeeded()
    await screenshot("04-refunded", { name: "captured-and-refunded", of: widget() })
  })

  step(
    "shows a chargeback opened at the PSP, delivered by its webhook",
    ["captures part of it with a custom reference"],
    async () => {
      const dispute = await sandbox!.control.stripe.openDispute({
        payment_intent: order.reference,
        reason: "fraudulent",
      })
      const row = page.locator(`[data-testid="order-dispute-row"][data-dispute-id]`)
      const deadline = Date.now() + WEBHOOK_DEADLINE_MS
      let seen = false
      while (!seen && Date.now() < deadline) {
        // What a person does: press the widget's refresh button until the dispute shows.
        const refresh = page.getByTestId("order-transactions-refresh")
        if (await refresh.isEnabled()) {
          await refresh.click()
        }
        seen = await row
          .first()
          .waitFor({ timeout: 2_500 })
          .then(() => true)
          .catch(() => false)
      }
      if (!seen) {
        const admin = await AdminClient.login(baseUrl, ADMIN.email, ADMIN.password)
        const api = await admin.disputes(order.orderId).then(
          (list) => `GET /admin/orders/:id/disputes lists ${list.length} dispute(s)`,
          (e: Error) => e.message
        )
        throw new Error(
          `Dispute ${dispute.id} (charge.dispute.created, sent by the sandbox to ${baseUrl}/hooks/payment/stripe_stripe) ` +
            `did not appear in the widget within ${WEBHOOK_DEADLINE_MS / 1000} s. ${api}.`
        )
      }
      expect(await row.count()).toBe(1)
      expect(await row.first().getAttribute("data-status")).toBe("needs_response")
      expect(await row.first().getAttribute("data-open")).toBe("true")
      expect(await cell(row.first(), "order-dispute-amount").innerText()).toBe("$20.00")
      await page.getByTestId("order-disputes").scrollIntoViewIfNeeded()
      await screenshot("05-disputed", { name: "dispute", of: widget() })
    },
    WEBHOOK_DEADLINE_MS + 60_000
  )
})
