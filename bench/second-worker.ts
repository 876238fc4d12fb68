/**
 * Part 3c: does a second worker process raise the webhook sync's throughput? The plugin's store is restarted with
 * Medusa's Redis event bus, workflow engine and locking (the set-up of `integration-tests/multi-instance`), then the
 * same flood as part 3 (smaller, see `BENCH_WORKER_FLOOD_*`) is delivered twice, each time on orders of its own: once
 * with that one process (`MEDUSA_WORKER_MODE=shared`), once with a second Medusa process (`MEDUSA_WORKER_MODE=worker`)
 * consuming the same queue. End-to-end throughput is measured as in part 3.
 */
import Redis from "ioredis"
import type { RunningSandbox } from "../src/sandbox"
import { freePort, startApp, type RunningApp } from "./app"
import { runFlood, type FloodConfig, type FloodResult } from "./flood"
import { adminLogin, MedusaHttp, type PlacedOrder } from "./store-flows"

export interface SecondWorkerResult {
  redis: string
  one: FloodResult
  two: FloodResult
}

export interface SecondWorkerInput {
  sandbox: RunningSandbox
  /** The plugin's store environment (its database), without Redis. */
  env: NodeJS.ProcessEnv
  port: number
  logFile: string
  databaseUrl: string
  redisUrl: string
  admin: { email: string; password: string }
  /** Orders of the one-process flood, and of the two-process flood. */
  orders: { one: PlacedOrder[]; two: PlacedOrder[] }
  flood: FloodConfig
  log: (line: string) => void
}

/** Empties the bench's Redis database; throws with a sentence when Redis cannot be reached. */
async function flushRedis(redisUrl: string): Promise<void> {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 3000 })
  try {
    await redis.connect()
    await redis.flushdb()
  } catch (e) {
    throw new Error(`Redis at ${redisUrl.replace(/\/\/[^@]*@/, "//")} is not reachable (${(e as Error).message})`)
  } finally {
    redis.disconnect()
  }
}

export async function runSecondWorker(input: SecondWorkerInput): Promise<SecondWorkerResult> {
  await flushRedis(input.redisUrl)
  const env = { ...input.env, REDIS_URL: input.redisUrl }
  const hookUrl = `http://127.0.0.1:${input.port}/hooks/payment/stripe_stripe`
  const apps: RunningApp[] = []
  try {
    input.log(`    restarting the plugin's store with Redis (event bus, workflow engine, locking): one process`)
    const shared = await startApp({ ...env, MEDUSA_WORKER_MODE: "shared" }, input.port, input.logFile)
    apps.push(shared)
    const http = new MedusaHttp(shared.url)
    const admin = await adminLogin(http, input.admin.email, input.admin.password)
    const one = await runFlood(
      input.sandbox,
      http,
      admin,
      input.databaseUrl,
      input.orders.one,
      hookUrl,
      input.flood,
      input.log
    )
    const workerPort = await freePort()
    input.log(`    starting a second process (MEDUSA_WORKER_MODE=worker) on the same database and Redis`)
    apps.push(await startApp({ ...env, MEDUSA_WORKER_MODE: "worker" }, workerPort, input.logFile))
    const two = await runFlood(
      input.sandbox,
      http,
      admin,
      input.databaseUrl,
      input.orders.two,
      hookUrl,
      input.flood,
      input.log
    )
    return { redis: "Redis event bus, workflow engine and locking", one, two }
  } finally {
    for (const app of apps.reverse()) {
      await app.stop()
    }
  }
}
