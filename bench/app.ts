/**
 * The bench's Medusa app as a child process: its own database (created and dropped here), `medusa db:migrate`,
 * `medusa exec`, and `medusa start` (NODE_ENV=production) whose peak RSS is read from /proc.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process"
import fs from "node:fs"
import { createRequire } from "node:module"
import net from "node:net"
import path from "node:path"
import { Client } from "pg"
import { redactDatabaseUrl, resolveDatabaseUrl } from "../scripts/lib/database-url"

const localRequire = createRequire(__filename)
const { checkDatabase } = localRequire("../scripts/lib/check-database") as {
  checkDatabase(url: string, options: { purpose: string }): Promise<boolean>
}

export const ROOT = path.resolve(__dirname, "..")
export const TMP = path.join(ROOT, "bench", ".tmp")
/** The baseline store's project directory: the official Stripe provider only, none of the plugin. */
export const OFFICIAL_STORE = path.join(ROOT, "bench", "official-store")
const MEDUSA_CLI = path.join(ROOT, "node_modules", "@medusajs", "cli", "cli.js")

/** The bench database: the store's PostgreSQL server (DATABASE_URL or DB_*), another database name. */
export function benchDatabaseUrl(suffix: string, env: NodeJS.ProcessEnv = process.env): string {
  const url = new URL(resolveDatabaseUrl(env))
  url.pathname = `/${env.BENCH_DB_NAME || "medusa_payment_orchestrator_bench"}_${suffix}`
  return url.toString()
}

function serverUrl(databaseUrl: string): string {
  const url = new URL(databaseUrl)
  url.pathname = "/postgres"
  return url.toString()
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`
}

/** Drops the bench database if a previous run left it, and creates it empty. Exits with a sentence if unreachable. */
export async function recreateDatabase(databaseUrl: string): Promise<void> {
  if (!(await checkDatabase(serverUrl(databaseUrl), { purpose: "the benchmark" }))) {
    process.exit(1)
  }
  const name = decodeURIComponent(new URL(databaseUrl).pathname.slice(1))
  const client = new Client({ connectionString: serverUrl(databaseUrl) })
  await client.connect()
  try {
    await client.query(`drop database if exists ${quoteIdent(name)} with (force)`)
    await client.query(`create database ${quoteIdent(name)}`)
  } finally {
    await client.end()
  }
}

export async function dropDatabase(databaseUrl: string): Promise<void> {
  const name = decodeURIComponent(new URL(databaseUrl).pathname.slice(1))
  const client = new Client({ connectionString: serverUrl(databaseUrl) })
  await client.connect()
  try {
    await client.query(`drop database if exists ${quoteIdent(name)} with (force)`)
  } finally {
    await client.end()
  }
}

export { redactDatabaseUrl }

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo
      server.close(() => resolve(port))
    })
  })
}

/**
 * Runs a `medusa` command to completion, its output appended to `logFile`; throws with the log's tail on failure.
 * Asynchronous on purpose: the sandbox lives in this process and must keep answering while the command runs.
 */
export async function medusaCommand(
  args: string[],
  env: NodeJS.ProcessEnv,
  logFile: string,
  cwd: string = ROOT
): Promise<void> {
  const fd = fs.openSync(logFile, "a")
  fs.writeSync(fd, `\n$ medusa ${args.join(" ")}\n`)
  const child = spawn(process.execPath, [MEDUSA_CLI, ...args], { cwd, env, stdio: ["ignore", fd, fd] })
  fs.closeSync(fd)
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once("error", reject)
    child.once("exit", (status) => resolve(status))
  })
  if (code !== 0) {
    throw new Error(`\`medusa ${args.join(" ")}\` failed (exit ${code}). Its output:\n${tail(logFile, 40)}`)
  }
}

export function tail(file: string, lines: number): string {
  try {
    return fs.readFileSync(file, "utf8").split("\n").slice(-lines).join("\n")
  } catch {
    return "(no output)"
  }
}

export interface RunningApp {
  url: string
  pid: number
  /** Peak resident set size of the Medusa process so far (VmHWM), in bytes; null where /proc is missing. */
  peakRss(): number | null
  /** CPU time the Medusa process has used so far (user + system), in ms; null where /proc is missing. */
  cpuMs(): number | null
  stop(): Promise<void>
}

/**
 * `medusa start` in the repository (the plugin's `src/` is the project, as in the integration tests; TypeScript is
 * compiled on load by ts-node + SWC, as `medusa` does for any TypeScript project). The child is the server process
 * itself (no cluster), so its /proc entry is Medusa's.
 */
export async function startApp(
  env: NodeJS.ProcessEnv,
  port: number,
  logFile: string,
  cwd: string = ROOT
): Promise<RunningApp> {
  const fd = fs.openSync(logFile, "a")
  fs.writeSync(fd, `\n$ medusa start --port ${port}\n`)
  const child: ChildProcess = spawn(process.execPath, [...profiling(), MEDUSA_CLI, "start", "--port", String(port)], {
    cwd,
    env: { ...env, NODE_ENV: "production", PORT: String(port) },
    stdio: ["ignore", fd, fd],
  })
  fs.closeSync(fd)
  let exited: number | null | undefined
  const exit = new Promise<void>((resolve) =>
    child.on("exit", (code) => {
      exited = code
      resolve()
    })
  )
  const url = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 240_000
  for (;;) {
    if (exited !== undefined) {
      throw new Error(`\`medusa start\` exited (${exited}) before answering /health. Its output:\n${tail(logFile, 40)}`)
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL")
      throw new Error(`\`medusa start\` did not answer /health within 4 minutes. Its output:\n${tail(logFile, 40)}`)
    }
    try {
      const res = await fetch(`${url}/health`)
      if (res.ok) {
        break
      }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500))
  }
  const pid = child.pid as number
  return {
    url,
    pid,
    peakRss: () => readVmHwm(pid),
    cpuMs: () => readCpuMs(pid),
    async stop() {
      if (exited !== undefined) {
        return
      }
      child.kill("SIGTERM")
      const timer = setTimeout(() => child.kill("SIGKILL"), 15_000)
      await exit
      clearTimeout(timer)
    },
  }
}

function readVmHwm(pid: number): number | null {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, "utf8")
    const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(status)
    return match ? Number(match[1]) * 1024 : null
  } catch {
    return null
  }
}

let clockTicks: number | undefined

/** utime + stime of /proc/<pid>/stat (fields 14 and 15, in clock ticks), in ms. */
function readCpuMs(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8")
    // The command name (field 2) may hold spaces: count the fields after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ")
    clockTicks ??= Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout.trim()) || 100
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicks
  } catch {
    return null
  }
}

/** BENCH_PROF_DIR=<dir>: each `medusa start` writes a V8 CPU profile there when it stops (open it in Chrome DevTools). */
function profiling(): string[] {
  const dir = process.env.BENCH_PROF_DIR
  return dir ? ["--cpu-prof", `--cpu-prof-dir=${dir}`] : []
}
