/**
 * Two Medusa processes of this repository's store against one PostgreSQL and one Redis — a server+worker
 * (`MEDUSA_WORKER_MODE=shared`) that receives the webhooks and a second worker (`MEDUSA_WORKER_MODE=worker`) — with
 * Medusa's Redis event bus, Redis workflow engine and Redis locking. The sandbox floods them with Stripe's webhooks for
 * dashboard refunds and chargebacks, every event delivered three times, shuffled and concurrently; both processes
 * consume `payment.webhook_received` from the same Redis queue. Every refund and dispute must be recorded exactly once.
 */
import { Queue } from "bullmq"
import Redis from "ioredis"
import fs from "node:fs"
import path from "node:path"
import { AdminClient, placeOrder, STRIPE_PROVIDER, waitFor, type PlacedOrder } from "../../demo/store-orders"
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

jest.setTimeout(600_000)

const ARTIFACTS = path.join(root, "artifacts", "multi-instance")
const ADMIN = { email: "multi-instance@example.com", password: "supersecret" }
/** A Redis database of its own (index 7), emptied first: no queue or lock left by an earlier run. */
const REDIS_URL = process.env.MULTI_INSTANCE_REDIS_URL || "redis://127.0.0.1:6379/7"
const REFUNDED_ORDERS = 4
const DISPUTED_ORDERS = ["lost", "lost", "won", "open"] as const
const SYNC_LINE = /\[payment-orchestrator\] stripe_stripe webhook synced/

let sandbox: RunningSandbox
let databaseUrl: string
let baseUrl: string
const servers: MedusaServer[] = []

beforeAll(async () => {
  fs.rmSync(ARTIFACTS, { recursive: true, force: true })
  fs.mkdirSync(ARTIFACTS, { recursive: true })
  const redis = new Redis(REDIS_URL)
  await redis.flushdb()
  await redis.quit()
  const [port, workerPort] = [await freePort(), await freePort()]
  baseUrl = `http://localhost:${port}`
  sandbox = await startSandbox({ port: 0, stripe: { webhookUrl: `${baseUrl}/hooks/payment/stripe_stripe` } })
  await sandbox.control.configureWebhooks("stripe", { hold: true })

  databaseUrl = withDatabaseName(resolveDatabaseUrl(process.env), `medusa_po_multi_${process.pid}`)
  await ensureDatabase(databaseUrl, { fresh: true })
  const redisEnv = { REDIS_URL, NODE_ENV: "development", MEDUSA_ADMIN_DISABLED: "true" }
  const env = storeEnv({ databaseUrl, port, sandboxUrl: sandbox.url, extra: redisEnv })
  prepareStore({ env, admin: ADMIN, seedOutput: path.join(ARTIFACTS, "seed.json"), output: log("setup") })
  servers.push(
    startMedusa({ command: "start", env: { ...env, MEDUSA_WORKER_MODE: "shared" }, output: log("shared") }),
    startMedusa({
      command: "start",
      env: {
        ...storeEnv({ databaseUrl, port: workerPort, sandboxUrl: sandbox.url, extra: redisEnv }),
        MEDUSA_WORKER_MODE: "worker",
      },
      output: log("worker"),
    })
  )
  await Promise.all([
    waitForHealth(baseUrl, { server: servers[0] }),
    waitForHealth(`http://localhost:${workerPort}`, { server: servers[1] }),
  ])
})

afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()))
  await sandbox?.close()
  if (databaseUrl) {
    await dropDatabase(databaseUrl).catch(() => undefined)
  }
})

/**
 * Waits until Medusa's Redis event bus (BullMQ queue `events-queue`, prefix `RedisEventBusService`) has no job left:
 * none waiting, delayed (Medusa holds each webhook 5 s, and a failed run's retry), or running in either process, at
 * three polls in a row. `atLeast`: jobs the queue must have taken, so a wrong queue name cannot pass as an idle queue.
 */
async function eventQueueDrained(atLeast: number): Promise<void> {
  const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null })
  const queue = new Queue("events-queue", { prefix: "RedisEventBusService", connection })
  try {
    expect(Number(await connection.get("RedisEventBusService:events-queue:id"))).toBeGreaterThanOrEqual(atLeast)
    const deadline = Date.now() + 180_000
    for (let quiet = 0; quiet < 3;) {
      const counts = await queue.getJobCounts(
        "active",
        "waiting",
        "delayed",
        "prioritized",
        "paused",
        "waiting-children"
      )
      quiet = Object.values(counts).every((n) => n === 0) ? quiet + 1 : 0
      if (Date.now() > deadline) {
        throw new Error(`Medusa's event queue did not drain: ${JSON.stringify(counts)}`)
      }
      await new Promise((r) => setTimeout(r, 500))
    }
  } finally {
    await queue.close()
    connection.disconnect()
  }
}

function log(name: string): string {
  return path.join(ARTIFACTS, `${name}.log`)
}

it("records every dashboard refund and dispute exactly once, whichever process takes each delivery", async () => {
  const store = JSON.parse(fs.readFileSync(path.join(ARTIFACTS, "seed.json"), "utf8")) as SeededStoreFile
  const admin = await AdminClient.login(baseUrl, ADMIN.email, ADMIN.password)
  const orders: PlacedOrder[] = []
  for (let i = 0; i < REFUNDED_ORDERS + DISPUTED_ORDERS.length; i++) {
    const order = await placeOrder({ baseUrl, store, control: sandbox.control, provider: STRIPE_PROVIDER })
    await admin.capture(order.orderId)
    orders.push(order)
  }
  const refunded = orders.slice(0, REFUNDED_ORDERS)
  const disputed = orders.slice(REFUNDED_ORDERS)

  // At the PSP: two dashboard refunds on each refunded order; a chargeback on each disputed one, lost, won or open.
  for (const order of refunded) {
    await sandbox.control.stripe.dashboardRefund({ payment_intent: order.reference, amount: 1000 })
    await sandbox.control.stripe.dashboardRefund({ payment_intent: order.reference, amount: 500 })
  }
  for (const [i, order] of disputed.entries()) {
    const dispute = await sandbox.control.stripe.openDispute({ payment_intent: order.reference, amount: 7000 })
    const outcome = DISPUTED_ORDERS[i]
    if (outcome !== "open") {
      await sandbox.control.stripe.closeDispute(dispute.id, outcome)
    }
  }

  // The flood: every held event three times, shuffled, all at once.
  const released = await sandbox.control.releaseWebhooks({
    psp: "stripe",
    duplicates: 2,
    order: "shuffle",
    concurrent: true,
  })
  expect(released.length).toBeGreaterThan(0)
  await sandbox.control.webhooksIdle()

  const settled = await waitFor(
    async () => {
      for (const order of refunded) {
        const refunds = (await admin.transactions(order.orderId)).filter((t) => t.transaction_type === "refund")
        if (refunds.length < 2) {
          return false
        }
      }
      for (const [i, order] of disputed.entries()) {
        const [dispute] = await admin.disputes(order.orderId)
        const expected = DISPUTED_ORDERS[i] === "open" ? "needs_response" : DISPUTED_ORDERS[i]
        if (dispute?.status !== expected) {
          return false
        }
        const refunds = (await admin.transactions(order.orderId)).filter((t) => t.transaction_type === "refund")
        if (DISPUTED_ORDERS[i] === "lost" && refunds.length < 1) {
          return false
        }
      }
      return true
    },
    { timeoutMs: 240_000, intervalMs: 2_000 }
  )
  expect(settled).toBe(true)
  // Late duplicates: every delivery's handling has finished in both processes (Medusa's Redis event queue holds no
  // job, waiting, delayed or running); only then is the result final.
  await eventQueueDrained(released.length)

  for (const order of refunded) {
    const lines = await admin.transactions(order.orderId)
    const refunds = lines.filter((t) => t.transaction_type === "refund")
    expect(refunds.map((r) => r.amount).sort((a, b) => a - b)).toEqual([500, 1000])
    expect(lines.find((t) => t.transaction_type === "capture")).toMatchObject({ refunded_amount: 1500 })
  }
  for (const [i, order] of disputed.entries()) {
    const disputes = await admin.disputes(order.orderId)
    expect(disputes).toHaveLength(1)
    const refunds = (await admin.transactions(order.orderId)).filter((t) => t.transaction_type === "refund")
    expect(refunds.map((r) => r.amount)).toEqual(DISPUTED_ORDERS[i] === "lost" ? [7000] : [])
  }

  // Both processes took part: each logged events it synced.
  const synced = (name: string) =>
    fs
      .readFileSync(log(name), "utf8")
      .split("\n")
      .filter((l) => SYNC_LINE.test(l))
  expect(synced("shared").length).toBeGreaterThan(0)
  expect(synced("worker").length).toBeGreaterThan(0)
})
