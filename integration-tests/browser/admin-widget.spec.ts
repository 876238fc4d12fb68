/**
 * The admin widget in a real browser: Debian's Chromium driven by playwright-core against this repository's store,
 * run as `medusa start` in development mode (the admin served by Vite, the plugin loaded from `src/`), on a fresh
 * database, with the PSP sandbox delivering its webhooks to it. Orders are placed once, up front, through the store
 * API as a storefront places them (Stripe and PayPal); then a person's path through the admin, logged in once: every
 * action of the widget's row action menu for both PSPs (capture full with a statement descriptor, partial, non-final
 * then final, by order lines; capture manually; mark as refunded; refund; cancel), the error toast that shows the
 * API's detail, the layout at 1280 and 1440 px (every action reachable without scrolling sideways), and a chargeback
 * opened at the PSP arriving, then its outcome showing without a click (the widget refreshes by itself).
 *
 * One app, one browser; a step declares the steps it needs. Screenshots of every step, the server's log and the
 * timings go to artifacts/browser/; README_SCREENSHOTS=1 (`npm run screenshots`) also refreshes the README's
 * screenshots in docs/screenshots/.
 */
import fs from "node:fs"
import path from "node:path"
import type { Browser, Locator, Page } from "playwright-core"
import { AdminClient, PAYPAL_PROVIDER, placeOrder, STRIPE_PROVIDER, type PlacedOrder } from "../../demo/store-orders"
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
import { startSandbox, type RunningSandbox, type SandboxControl } from "../../src/sandbox"

const ARTIFACTS = path.join(root, "artifacts", "browser")
const README_SCREENSHOTS = process.env.README_SCREENSHOTS === "1" ? path.join(root, "docs", "screenshots") : null
const SERVER_LOG = path.join(ARTIFACTS, "medusa.log")
const ADMIN = { email: "browser-test@example.com", password: "supersecret" }
/**
 * A laptop's screen. The README's screenshots are taken at the admin's other usual width, and less tall, so the
 * capture drawer has little empty space.
 */
const VIEWPORT = README_SCREENSHOTS ? { width: 1440, height: 760 } : { width: 1280, height: 800 }
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
/** The orders of the per-PSP steps, placed once in beforeAll: one per scenario and PSP. */
const SCENARIOS = ["full", "partial", "lines", "manual", "cancel"] as const
type Scenario = (typeof SCENARIOS)[number]
type PspName = "Stripe" | "PayPal"
const PSPS: [PspName, string][] = [
  ["Stripe", STRIPE_PROVIDER],
  ["PayPal", PAYPAL_PROVIDER],
]
const orders = {} as Record<PspName, Record<Scenario, PlacedOrder>>
/** A PayPal order authorized 4 days ago (past the 3-day honor period), for the reauthorize step. */
let agedPayPal: PlacedOrder
const DAY_SECONDS = 24 * 60 * 60

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
const LOGIN_STEP = "logs into the admin and finds the order's authorization in the widget"

/** Opens an order's page and waits for its authorization in the widget. */
async function openOrder(placed: PlacedOrder): Promise<void> {
  await page.goto(`${baseUrl}/app/orders/${placed.orderId}`)
  await widget().waitFor({ timeout: 60_000 })
  await rows("authorize").first().waitFor({ timeout: 30_000 })
}

/** Opens a row's action menu (`…`) and picks an action. */
async function act(row: Locator, kind: string): Promise<void> {
  await row.getByTestId("transaction-actions-menu").click()
  await page.getByTestId(`transaction-action-${kind}`).click()
}

/** Waits for a toast; while waiting for a success, an error toast fails at once with what it said. */
async function toast(kind: "success" | "error", text: string): Promise<void> {
  const wanted = page.getByTestId(`order-transactions-toast-${kind}`).filter({ hasText: text }).first()
  if (kind === "error") {
    await wanted.waitFor()
    return
  }
  const failed = page.getByTestId("order-transactions-toast-error").first()
  const which = await Promise.race([
    wanted.waitFor().then(
      () => "success" as const,
      () => "timeout" as const
    ),
    failed.waitFor().then(
      () => "error" as const,
      () => "timeout" as const
    ),
  ])
  if (which === "timeout") {
    throw new Error(`No toast with "${text}" within the timeout.`)
  }
  if (which === "error") {
    throw new Error(`Expected a success toast with "${text}"; the widget showed an error: ${await failed.innerText()}`)
  }
}

interface CaptureForm {
  amount?: string
  customReference?: string
  descriptor?: string
  type?: "final" | "non-final"
  /** Tick every order line (the amount becomes their total). */
  lines?: boolean
}

/** Capture through the form on the authorization; resolves once the success toast shows `expectToast`. */
async function captureWithForm(form: CaptureForm, expectToast: string): Promise<void> {
  await act(rows("authorize").first(), "capture")
  const amount = page.getByTestId("capture-form-amount")
  await amount.waitFor()
  if (form.lines) {
    for (const line of await page.getByTestId("capture-form-line-item").all()) {
      await line.click()
    }
  }
  if (form.amount !== undefined) {
    await amount.fill(form.amount)
  }
  if (form.customReference !== undefined) {
    await page.getByTestId("capture-form-custom-reference").fill(form.customReference)
  }
  if (form.descriptor !== undefined) {
    await page.getByTestId("capture-form-statement-descriptor").fill(form.descriptor)
  }
  if (form.type) {
    await page.getByTestId(`capture-form-capture-type-${form.type}`).click()
  }
  await page.getByTestId("capture-form-submit").click()
  await toast("success", expectToast)
  await page.getByTestId("capture-form").waitFor({ state: "detached" })
}

/** Confirms a one-click action (capture manually, mark as refunded, cancel) picked from a row's menu. */
async function actAndConfirm(row: Locator, kind: string, expectToast: string): Promise<void> {
  await act(row, kind)
  await page.getByTestId(`confirm-${kind}`).waitFor()
  await page.getByTestId("confirm-action-confirm").click()
  await toast("success", expectToast)
}

/** What the PSP holds for an order: its captures (minor units, final or not, descriptor) and refunds. */
async function atPsp(placed: PlacedOrder): Promise<{
  captures: { amount: number; final: boolean; descriptor: string | null }[]
  refunds: number[]
  voided: boolean
}> {
  const control = sandbox!.control
  if (placed.provider === STRIPE_PROVIDER) {
    const psp = await control.stripe.inspectPaymentIntent(placed.reference)
    return {
      captures: psp.captures.map((c) => ({
        amount: c.amount,
        final: c.final,
        descriptor: c.statement_descriptor_suffix,
      })),
      refunds: psp.refunds.map((r) => r.amount),
      voided: psp.payment_intent.status === "canceled",
    }
  }
  const paypalOrder = (await control.paypal.getOrder(placed.reference)) as unknown as {
    purchase_units: { payments?: { authorizations?: { id: string }[] } }[]
  }
  const authorizationId = paypalOrder.purchase_units[0].payments?.authorizations?.[0]?.id
  if (!authorizationId) {
    throw new Error(`PayPal order ${placed.reference} has no authorization.`)
  }
  const authorization = await control.paypal.getAuthorization(authorizationId)
  const minor = (value: string) => Math.round(Number(value) * 100)
  return {
    captures: authorization.captures.map((c) => ({
      amount: minor(c.amount.value),
      final: c.final_capture,
      descriptor: c.soft_descriptor,
    })),
    refunds: authorization.captures.flatMap((c) => c.refunds.map((r) => minor(r.amount.value))),
    voided: authorization.status === "VOIDED",
  }
}

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

  await timed("orders through the store API", async () => {
    const control = sandbox!.control
    // Non-final captures at Stripe need multicapture, which only some cards get: the buyer pays with one for the
    // orders captured in several parts. (A sandbox without that card falls back to its default card.)
    const multicapture = {
      ...control,
      paypal: control.paypal,
      stripe: {
        confirmPaymentIntent: (id: string) =>
          control.stripe
            .confirmPaymentIntent(id, { payment_method: "pm_card_visa_multicapture" })
            .catch(() => control.stripe.confirmPaymentIntent(id)),
      },
    } as unknown as SandboxControl
    order = await placeOrder({ baseUrl, store, control: multicapture, provider: STRIPE_PROVIDER })
    for (const [psp, provider] of PSPS) {
      orders[psp] = {} as Record<Scenario, PlacedOrder>
      for (const scenario of SCENARIOS) {
        orders[psp][scenario] = await placeOrder({
          baseUrl,
          store,
          control: scenario === "partial" ? multicapture : control,
          provider,
        })
      }
    }
    // The sandbox's clock is set back 4 days while the buyer pays: the authorization is past its honor period now.
    await control.advanceClock(-4 * DAY_SECONDS)
    try {
      agedPayPal = await placeOrder({ baseUrl, store, control, provider: PAYPAL_PROVIDER })
    } finally {
      await control.advanceClock(4 * DAY_SECONDS)
    }
  })

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
    LOGIN_STEP,
    [],
    async () => {
      // The first visit makes Vite bundle the dashboard's dependencies: up to a minute or two on a cold machine.
      await page.goto(`${baseUrl}/app/login`, { timeout: 180_000 })
      await page.locator('input[name="email"]').fill(ADMIN.email, { timeout: 180_000 })
      await page.locator('input[name="password"]').fill(ADMIN.password)
      await page.locator('button[type="submit"]').click()
      await page.waitForURL(/\/app\/orders/, { timeout: 60_000 })

      await openOrder(order)
      await widget().scrollIntoViewIfNeeded()

      expect(await rows("authorize").count()).toBe(1)
      const auth = rows("authorize").first()
      expect(await auth.getAttribute("data-detailed-status")).toBe("authorized")
      expect(await cell(auth, "order-transaction-reference").innerText()).toBe(order.reference)
      expect(await cell(auth, "order-transaction-amount").innerText()).toBe("$70.00")
      expect(await auth.getByTestId("transaction-actions-menu").getAttribute("data-actions")).toBe(
        "capture capture-manual cancel"
      )
      await screenshot("01-order-authorized")
    },
    300_000
  )

  step("captures part of it with a custom reference", [LOGIN_STEP], async () => {
    await act(rows("authorize").first(), "capture")
    const amount = page.getByTestId("capture-form-amount")
    await amount.waitFor()
    expect(await amount.inputValue()).toBe("70.00")
    await amount.fill("30.00")
    await page.getByTestId("capture-form-custom-reference").fill(CUSTOM_REFERENCE)
    await screenshot("02-capture-form", { name: "capture-form", of: page.getByTestId("capture-form") })
    await page.getByTestId("capture-form-submit").click()

    await toast("success", "$30.00 captured.")
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
  })

  step("refunds part of the capture", ["captures part of it with a custom reference"], async () => {
    await act(rows("capture").first(), "refund")
    const amount = page.getByTestId("refund-form-amount")
    await amount.waitFor()
    expect(await amount.inputValue()).toBe("30.00")
    await amount.fill("10.00")
    await page.getByTestId("refund-form-submit").click()

    await toast("success", "$10.00 refunded.")
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
    "shows every action without scrolling sideways at 1280 and 1440 px",
    ["refunds part of the capture"],
    async () => {
      try {
        for (const width of [1280, 1440]) {
          await page.setViewportSize({ width, height: 800 })
          await widget().scrollIntoViewIfNeeded()
          const layout = await widget().evaluate((el) => {
            const box = el.getBoundingClientRect()
            const menus = [...el.querySelectorAll('[data-testid="transaction-actions-menu"]')].map((m) => {
              const r = m.getBoundingClientRect()
              return { left: r.left, right: r.right, width: r.width }
            })
            const table = el.querySelector('[data-testid="order-transactions-table"]') as HTMLElement
            return {
              widget: { left: box.left, right: box.right },
              menus,
              tableOverflow: table.scrollWidth - table.clientWidth,
              widgetOverflow: el.scrollWidth - el.clientWidth,
              pageOverflow: document.documentElement.scrollWidth - window.innerWidth,
            }
          })
          // Authorization, capture, refund: the first two have actions, each behind a visible `…`.
          expect(layout.menus.length).toBe(2)
          for (const menu of layout.menus) {
            expect(menu.width).toBeGreaterThan(0)
            expect(menu.left).toBeGreaterThanOrEqual(layout.widget.left)
            expect(menu.right).toBeLessThanOrEqual(layout.widget.right)
            expect(menu.right).toBeLessThanOrEqual(width)
          }
          expect(layout.tableOverflow).toBeLessThanOrEqual(0)
          expect(layout.widgetOverflow).toBeLessThanOrEqual(0)
          expect(layout.pageOverflow).toBeLessThanOrEqual(0)
          // The menu opens with its actions in view.
          await rows("capture").first().getByTestId("transaction-actions-menu").click()
          const item = page.getByTestId("transaction-action-refund")
          await item.waitFor()
          const itemBox = await item.boundingBox()
          expect(itemBox && itemBox.x + itemBox.width <= width).toBe(true)
          await screenshot(`05-layout-${width}`)
          await page.keyboard.press("Escape")
          await item.waitFor({ state: "detached" })
        }
      } finally {
        await page.setViewportSize(VIEWPORT)
      }
    }
  )

  step(
    "shows a chargeback opened at the PSP, delivered by its webhook, and its outcome without a click",
    ["refunds part of the capture"],
    async () => {
      const dispute = await sandbox!.control.stripe.openDispute({
        payment_intent: order.reference,
        reason: "fraudulent",
      })
      const row = page.locator(`[data-testid="order-dispute-row"][data-dispute-id]`)
      const deadline = Date.now() + WEBHOOK_DEADLINE_MS
      let seen = false
      while (!seen && Date.now() < deadline) {
        // What a person does when nothing on the page awaits the PSP: press the widget's refresh button.
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
      // $30.00 captured, $10.00 refunded by the step before: the dispute is on the $20.00 left.
      expect(await cell(row.first(), "order-dispute-amount").innerText()).toBe("$20.00")
      await page.getByTestId("order-disputes").scrollIntoViewIfNeeded()
      await screenshot("06-disputed", { name: "dispute", of: widget() })

      // An open dispute is awaited: the widget polls, so the outcome shows without pressing refresh.
      await sandbox!.control.stripe.closeDispute(dispute.id, "won")
      await page
        .locator(`[data-testid="order-dispute-row"][data-status="won"]`)
        .waitFor({ timeout: WEBHOOK_DEADLINE_MS })
      expect(await row.first().getAttribute("data-open")).toBe("false")
    },
    2 * WEBHOOK_DEADLINE_MS + 60_000
  )

  step("shows the API's detail in an error toast when the PSP refuses", [LOGIN_STEP], async () => {
    const placed = orders.Stripe.cancel
    await openOrder(placed)
    await sandbox!.control.addFault({
      psp: "stripe",
      method: "POST",
      path: "/capture",
      kind: "status",
      status: 400,
      body: {
        error: {
          type: "invalid_request_error",
          code: "payment_intent_unexpected_state",
          message: "This PaymentIntent's amount could not be captured: the bank refused it.",
        },
      },
    })
    try {
      await act(rows("authorize").first(), "capture")
      await page.getByTestId("capture-form-amount").waitFor()
      const answered = page.waitForResponse(
        (r) => r.request().method() === "POST" && /\/transactions\/[^/]+\/capture$/.test(new URL(r.url()).pathname)
      )
      await page.getByTestId("capture-form-submit").click()
      const response = await answered
      expect(response.status()).toBeGreaterThanOrEqual(400)
      const detail = ((await response.json()) as { errors: { detail: string }[] }).errors[0].detail
      expect(detail).toBeTruthy()
      const shown = page.getByTestId("order-transactions-toast-error").first()
      await shown.waitFor()
      expect(await shown.innerText()).toBe(detail)
      await screenshot("07-error-toast")
    } finally {
      await sandbox!.control.clearFaults()
    }
    // Nothing moved: no capture row, nothing captured at Stripe. The form stays open for a retry: close it.
    await page.getByTestId("capture-form-cancel").click()
    await page.getByTestId("capture-form").waitFor({ state: "detached" })
    expect(await rows("capture").count()).toBe(0)
    expect((await atPsp(placed)).captures).toEqual([])
  })

  for (const [psp] of PSPS) {
    step(`${psp}: captures in full with a statement descriptor, then refunds it`, [LOGIN_STEP], async () => {
      const placed = orders[psp].full
      await openOrder(placed)
      await captureWithForm({ descriptor: "ORDER 1001", type: "final" }, "$70.00 captured.")
      const capture = rows("capture").first()
      await capture.waitFor()
      expect(await cell(capture, "order-transaction-amount").innerText()).toBe("$70.00")
      expect((await atPsp(placed)).captures).toEqual([{ amount: 7000, final: true, descriptor: "ORDER 1001" }])
      // Nothing left to capture: the authorization offers no action.
      expect(await rows("authorize").first().getByTestId("transaction-actions-menu").count()).toBe(0)

      await act(capture, "refund")
      const amount = page.getByTestId("refund-form-amount")
      await amount.waitFor()
      expect(await amount.inputValue()).toBe("70.00")
      await page.getByTestId("refund-form-submit").click()
      await toast("success", "$70.00 refunded.")
      await rows("refund").first().waitFor()
      expect(await rows("capture").first().getAttribute("data-detailed-status")).toBe("refunded")
      expect((await atPsp(placed)).refunds).toEqual([7000])
    })

    step(`${psp}: captures part non-final, then the rest final`, [LOGIN_STEP], async () => {
      const placed = orders[psp].partial
      await openOrder(placed)
      await captureWithForm({ amount: "30.00", type: "non-final" }, "$30.00 captured.")
      await rows("capture").first().waitFor()
      // The authorization still offers a capture of what is left.
      await act(rows("authorize").first(), "capture")
      expect(await page.getByTestId("capture-form-amount").inputValue()).toBe("40.00")
      await page.getByTestId("capture-form-cancel").click()
      await page.getByTestId("capture-form").waitFor({ state: "detached" })

      await captureWithForm({ type: "final" }, "$40.00 captured.")
      await rows("capture").nth(1).waitFor()
      expect(await rows("capture").count()).toBe(2)
      expect((await atPsp(placed)).captures.map(({ amount, final }) => ({ amount, final }))).toEqual([
        { amount: 3000, final: false },
        { amount: 4000, final: true },
      ])
    })

    step(`${psp}: captures by order lines`, [LOGIN_STEP], async () => {
      const placed = orders[psp].lines
      await openOrder(placed)
      await act(rows("authorize").first(), "capture")
      const line = page.getByTestId("capture-form-line-item").first()
      await line.waitFor()
      await line.click()
      // The one T-shirt line is $60.00 (shipping, $10.00, is not a line).
      expect(await page.getByTestId("capture-form-amount").inputValue()).toBe("60.00")
      expect(await page.getByTestId("capture-form-line-items-total").innerText()).toContain("$60.00")
      // Final: the card has no multicapture at Stripe, and the rest ($10.00 shipping) is released.
      await page.getByTestId("capture-form-capture-type-final").click()
      await page.getByTestId("capture-form-submit").click()
      await toast("success", "$60.00 captured.")
      await page.getByTestId("capture-form").waitFor({ state: "detached" })
      const capture = rows("capture").first()
      await capture.waitFor()
      expect(await cell(capture, "order-transaction-amount").innerText()).toBe("$60.00")
      expect((await atPsp(placed)).captures.map((c) => c.amount)).toEqual([6000])
    })

    step(`${psp}: captures manually, then marks it as refunded`, [LOGIN_STEP], async () => {
      const placed = orders[psp].manual
      await openOrder(placed)
      await actAndConfirm(rows("authorize").first(), "capture-manual", "recorded as captured outside")
      const capture = rows("capture").first()
      await capture.waitFor()
      await capture.getByTestId("order-transaction-manual-badge").waitFor()
      expect(await capture.getByTestId("transaction-actions-menu").getAttribute("data-actions")).toBe("mark-refunded")
      await actAndConfirm(capture, "mark-refunded", "recorded as refunded")
      await rows("refund").first().waitFor()
      // Nothing moved at the PSP either way.
      const held = await atPsp(placed)
      expect(held.captures).toEqual([])
      expect(held.refunds).toEqual([])
    })

    step(`${psp}: cancels the authorization`, [LOGIN_STEP], async () => {
      const placed = orders[psp].cancel
      await openOrder(placed)
      await actAndConfirm(rows("authorize").first(), "cancel", "The authorization was canceled")
      await page.locator('[data-testid="order-transaction-row"][data-detailed-status="voided"]').first().waitFor()
      expect(await rows("authorize").first().getByTestId("transaction-actions-menu").count()).toBe(0)
      expect((await atPsp(placed)).voided).toBe(true)
    })
  }

  step("PayPal: reauthorizes an authorization past its honor period", [LOGIN_STEP], async () => {
    await openOrder(agedPayPal)
    const honorWarning = page.locator(
      '[data-testid="authorization-expiry-warning"][data-expiry-state="honor_period_over"]'
    )
    await honorWarning.waitFor()
    expect(await honorWarning.innerText()).toContain("Funds no longer guaranteed")
    await honorWarning.getByTestId("authorization-expiry-action-reauthorize").waitFor()
    const auth = rows("authorize").first()
    expect(await auth.getByTestId("transaction-actions-menu").getAttribute("data-actions")).toBe(
      "capture capture-manual reauthorize cancel"
    )
    const original = await cell(auth, "order-transaction-reference").innerText()
    await widget().scrollIntoViewIfNeeded()
    await screenshot("20-reauthorize-offered", { name: "reauthorize", of: widget() })

    await actAndConfirm(auth, "reauthorize", "reauthorized")
    // Renewed: the row names the new authorization, offers no second reauthorization, and the warning is gone.
    await page
      .locator('[data-testid="transaction-actions-menu"][data-actions="capture capture-manual cancel"]')
      .first()
      .waitFor()
    await honorWarning.waitFor({ state: "detached" })
    const renewed = await cell(rows("authorize").first(), "order-transaction-reference").innerText()
    expect(renewed).not.toBe(original)
    expect((await sandbox!.control.paypal.getAuthorization(original)).status).toBe("VOIDED")
    expect(await sandbox!.control.paypal.getAuthorization(renewed)).toMatchObject({
      status: "CREATED",
      amount: { value: "70.00" },
    })
    await widget().scrollIntoViewIfNeeded()
    await screenshot("21-reauthorized")
  })
})
