#!/usr/bin/env node
/**
 * `npm run demo`: a Medusa store with the plugin, against the PSP sandbox, with no keys or accounts.
 * Creates the database if needed, runs migrations, seeds a store and an admin user, starts the sandbox and
 * `medusa develop`, prints where to log in, and keeps serving until stopped (Ctrl-C).
 */
const { spawn, spawnSync } = require("node:child_process")
const fs = require("node:fs")
const path = require("node:path")
const { Client } = require("pg")
const { resolveDatabaseUrl, redactDatabaseUrl } = require("./lib/database-url")
const { checkDatabase } = require("./lib/check-database")

const root = path.resolve(__dirname, "..")
const port = Number(process.env.PORT || 9000)
const sandboxPort = Number(process.env.PSP_SANDBOX_PORT || 12111)
const adminEmail = process.env.DEMO_ADMIN_EMAIL || "admin@example.com"
const adminPassword = process.env.DEMO_ADMIN_PASSWORD || "supersecret"
const databaseUrl = resolveDatabaseUrl(process.env)
const medusaBin = path.join(root, "node_modules", ".bin", "medusa")

function step(message) {
  console.log(`\n> ${message}`)
}

async function ensureDatabase() {
  const url = new URL(databaseUrl)
  const name = decodeURIComponent(url.pathname.slice(1))
  const server = new URL(databaseUrl)
  server.pathname = "/postgres"
  if (!(await checkDatabase(server.toString(), { purpose: "the demo store" }))) {
    process.exit(1)
  }
  const client = new Client({ connectionString: server.toString() })
  await client.connect()
  const { rowCount } = await client.query("select 1 from pg_database where datname = $1", [name])
  if (!rowCount) {
    step(`Creating database ${name}`)
    await client.query(`create database "${name.replace(/"/g, '""')}"`)
  }
  await client.end()
}

function medusa(args, { allowFailure = false } = {}) {
  const run = spawnSync(medusaBin, args, { cwd: root, stdio: allowFailure ? "pipe" : "inherit", env: childEnv() })
  if (run.status !== 0 && !allowFailure) {
    console.error(`\`medusa ${args.join(" ")}\` failed (exit ${run.status}).`)
    process.exit(1)
  }
  return run
}

function childEnv(extra = {}) {
  return {
    ...process.env,
    DATABASE_URL: databaseUrl,
    PSP_SANDBOX_URL: `http://127.0.0.1:${sandboxPort}`,
    PORT: String(port),
    MEDUSA_DISABLE_TELEMETRY: "true",
    ...extra,
  }
}

async function waitForHealth(timeoutMs) {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`http://localhost:${port}/health`)
      if (res.ok) {
        return true
      }
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 1000))
  }
  return false
}

async function main() {
  require("ts-node").register({ swc: true, transpileOnly: true, compilerOptions: { module: "commonjs" } })
  const { startSandbox } = require("../src/sandbox")

  step(`Database: ${redactDatabaseUrl(databaseUrl)}`)
  await ensureDatabase()

  step(`Starting the PSP sandbox on 127.0.0.1:${sandboxPort}`)
  const sandbox = await startSandbox({
    port: sandboxPort,
    stripe: { webhookUrl: `http://localhost:${port}/hooks/payment/stripe_stripe` },
    paypal: { webhookUrl: `http://localhost:${port}/hooks/payment/paypal_paypal` },
  })

  step("Running migrations (medusa db:migrate)")
  medusa(["db:migrate"])

  step("Seeding the demo store")
  medusa(["exec", "./demo/seed.ts"])
  const seeded = JSON.parse(fs.readFileSync(path.join(root, ".tmp", "demo-seed.json"), "utf8"))

  step(`Creating the admin user ${adminEmail}`)
  const user = medusa(["user", "-e", adminEmail, "-p", adminPassword], { allowFailure: true })
  if (user.status !== 0) {
    console.log("  (it exists already)")
  }

  step(`Starting Medusa on http://localhost:${port} (medusa develop)`)
  // Its own process group, so stopping the demo also stops the server process `medusa develop` starts.
  const develop = spawn(medusaBin, ["develop"], { cwd: root, stdio: "inherit", env: childEnv(), detached: true })
  const stop = async (code) => {
    try {
      process.kill(-develop.pid, "SIGTERM")
    } catch {
      // already gone
    }
    await sandbox.close()
    process.exit(code)
  }
  process.on("SIGINT", () => void stop(0))
  process.on("SIGTERM", () => void stop(0))
  develop.on("exit", (code) => void stop(code ?? 1))

  if (!(await waitForHealth(180_000))) {
    console.error("Medusa did not answer /health within 3 minutes: see its output above.")
    await stop(1)
  }
  console.log(`
============================================================
 medusa-payment-orchestrator demo is running (Ctrl-C stops it)

 Admin:            http://localhost:${port}/app
   email:          ${adminEmail}
   password:       ${adminPassword}
 Store API:        http://localhost:${port}/store
   publishable key: ${seeded.publishable_key}
   region:         ${seeded.region_id} (providers pp_stripe_stripe, pp_paypal_paypal)
 PSP sandbox:      ${sandbox.url} (control API ${sandbox.url}/_sandbox)
   Stripe key:     ${sandbox.stripe.apiKey} (sandbox only)
   PayPal client:  ${sandbox.paypal.clientId} (sandbox only)

 Try: curl -H "x-publishable-api-key: ${seeded.publishable_key}" http://localhost:${port}/store/products
============================================================
`)
}

main().catch((e) => {
  console.error(`The demo could not start: ${e.message}`)
  process.exit(1)
})
