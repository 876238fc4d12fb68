/**
 * Serves the demo checkout page (demo/storefront/) with Vite, in a child process (Vite is ESM; the demo and the tests
 * are not), and resolves once the page answers. Used by `npm run demo` and the browser test.
 */
import { spawn } from "node:child_process"
import fs from "node:fs"
import path from "node:path"

/** What the page is told (Vite's `define`): the store, the sandbox, the public keys. */
export interface CheckoutPageConfig {
  medusaUrl: string
  /** The store's publishable API key (Medusa's, for the store API). */
  publishableKey: string
  regionId: string
  variantId: string
  shippingOptionId: string
  /** The PSP sandbox: Stripe.js and PayPal's JS SDK are loaded from it. */
  sandboxUrl: string
  stripePublishableKey: string
  paypalClientId: string
}

export interface CheckoutPage {
  url: string
  stop(): Promise<void>
}

const here = path.join(__dirname, "storefront")
const root = path.resolve(__dirname, "..")

export async function startCheckoutPage(options: {
  config: CheckoutPageConfig
  port: number
  /** Where Vite's output goes ("inherit" shows it). */
  output?: "inherit" | string
  timeoutMs?: number
}): Promise<CheckoutPage> {
  const url = `http://localhost:${options.port}`
  const out = options.output && options.output !== "inherit" ? fs.openSync(options.output, "a") : undefined
  const child = spawn(
    process.execPath,
    [
      path.join(root, "node_modules", "vite", "bin", "vite.js"),
      "--config",
      path.join(here, "vite.config.mjs"),
      "--port",
      String(options.port),
    ],
    {
      cwd: here,
      env: { ...process.env, NODE_OPTIONS: "", CHECKOUT_CONFIG: JSON.stringify(options.config) },
      stdio: out === undefined ? (options.output === "inherit" ? "inherit" : "ignore") : ["ignore", out, out],
    }
  )
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()))
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill("SIGTERM")
      await exited
    }
    if (out !== undefined) fs.closeSync(out)
  }
  const deadline = Date.now() + (options.timeoutMs ?? 60_000)
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`Vite stopped (exit ${child.exitCode}) before serving the checkout page on ${url}.`)
    }
    const ok = await fetch(url).then(
      (r) => r.ok,
      () => false
    )
    if (ok) {
      return { url, stop }
    }
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  await stop()
  throw new Error(`The checkout page did not answer on ${url} within the timeout.`)
}
