/**
 * Running this repository's store (medusa-config.ts) as a real Medusa process, for the demo and the browser test:
 * create its database, migrate and seed it, start the server in its own process group, wait for /health, stop it.
 */
const { spawn, spawnSync } = require("node:child_process")
const fs = require("node:fs")
const net = require("node:net")
const path = require("node:path")
const { Client } = require("pg")

const root = path.resolve(__dirname, "..", "..")
const medusaBin = path.join(root, "node_modules", ".bin", "medusa")

/** A TCP port nobody listens on right now. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.unref()
    server.on("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })
}

/** The same server and credentials, another database name. */
function withDatabaseName(url, name) {
  const parsed = new URL(url)
  parsed.pathname = `/${encodeURIComponent(name)}`
  return parsed.toString()
}

function databaseName(url) {
  return decodeURIComponent(new URL(url).pathname.slice(1))
}

async function withServerClient(url, fn) {
  const client = new Client({ connectionString: withDatabaseName(url, "postgres"), connectionTimeoutMillis: 5000 })
  await client.connect()
  try {
    return await fn(client)
  } finally {
    await client.end().catch(() => undefined)
  }
}

function quoteIdent(name) {
  return `"${name.replace(/"/g, '""')}"`
}

/** Creates the database of `url` unless it exists; `{ fresh: true }` drops it first. Resolves true when created. */
async function ensureDatabase(url, { fresh = false } = {}) {
  const name = databaseName(url)
  return withServerClient(url, async (client) => {
    if (fresh) {
      await client.query(`drop database if exists ${quoteIdent(name)} with (force)`)
    }
    const { rowCount } = await client.query("select 1 from pg_database where datname = $1", [name])
    if (rowCount) {
      return false
    }
    await client.query(`create database ${quoteIdent(name)}`)
    return true
  })
}

async function dropDatabase(url) {
  await withServerClient(url, (client) =>
    client.query(`drop database if exists ${quoteIdent(databaseName(url))} with (force)`)
  )
}

/**
 * The environment of a Medusa process for this store: the caller's, without what a test runner adds (Jest's worker
 * id, `--experimental-vm-modules`), plus the database, the port, the sandbox URL and CORS for that port.
 */
function storeEnv({ databaseUrl, port, sandboxUrl, extra = {} }) {
  const env = { ...process.env }
  delete env.JEST_WORKER_ID
  delete env.TEST_TYPE
  const nodeOptions = (env.NODE_OPTIONS || "").replace(/--experimental-vm-modules/g, "").trim()
  if (nodeOptions) {
    env.NODE_OPTIONS = nodeOptions
  } else {
    delete env.NODE_OPTIONS
  }
  const origin = `http://localhost:${port}`
  return {
    ...env,
    DATABASE_URL: databaseUrl,
    PORT: String(port),
    PSP_SANDBOX_URL: sandboxUrl,
    MEDUSA_DISABLE_TELEMETRY: "true",
    STORE_CORS: env.STORE_CORS || `http://localhost:8000,${origin}`,
    ADMIN_CORS: env.ADMIN_CORS || `${origin},http://localhost:5173`,
    AUTH_CORS: env.AUTH_CORS || `http://localhost:8000,${origin},http://localhost:5173`,
    ...extra,
  }
}

/**
 * Runs `medusa <args>` to completion. `output: "inherit"` shows its output; a file path collects it there. Throws with
 * the end of the output when it fails.
 */
function runMedusa(args, { env, output = "inherit" } = {}) {
  const toFile = output !== "inherit"
  const run = spawnSync(medusaBin, args, {
    cwd: root,
    env,
    stdio: toFile ? "pipe" : "inherit",
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  })
  if (toFile) {
    fs.appendFileSync(output, `\n$ medusa ${args.join(" ")}\n${run.stdout ?? ""}${run.stderr ?? ""}`)
  }
  if (run.status !== 0) {
    const tail = toFile ? `\n${`${run.stdout ?? ""}${run.stderr ?? ""}`.split("\n").slice(-30).join("\n")}` : ""
    throw new Error(`\`medusa ${args.join(" ")}\` failed (exit ${run.status ?? run.signal}).${tail}`)
  }
  return run
}

/**
 * Migrates the database and seeds the demo store and its admin user (`demo/seed.ts`). Returns what the seed wrote:
 * region, publishable key, product, variant and shipping option ids.
 */
function prepareStore({ env, admin, seedOutput, output = "inherit", onStep = () => undefined }) {
  onStep("Running migrations (medusa db:migrate)")
  runMedusa(["db:migrate"], { env, output })
  onStep(`Seeding the demo store and the admin user ${admin.email}`)
  fs.mkdirSync(path.dirname(seedOutput), { recursive: true })
  fs.rmSync(seedOutput, { force: true })
  runMedusa(["exec", "./demo/seed.ts"], {
    env: {
      ...env,
      DEMO_SEED_OUTPUT: seedOutput,
      DEMO_ADMIN_EMAIL: admin.email,
      DEMO_ADMIN_PASSWORD: admin.password,
    },
    output,
  })
  return JSON.parse(fs.readFileSync(seedOutput, "utf8"))
}

/**
 * Starts Medusa in its own process group, so stopping it also stops the server process `medusa develop` forks.
 * `command: "develop"` watches the files and restarts on changes (the demo); `"start"` with NODE_ENV=development
 * serves the same app and the admin through Vite's dev server, without the watcher (the browser test: files written
 * while it runs, by the test or anyone else, do not restart it). `output`: "inherit" or a log file.
 */
function startMedusa({ command = "develop", env, output = "inherit" }) {
  let stdio = "inherit"
  let logFd = null
  if (output !== "inherit") {
    logFd = fs.openSync(output, "a")
    stdio = ["ignore", logFd, logFd]
  }
  const child = spawn(medusaBin, [command], {
    cwd: root,
    env: command === "start" ? { ...env, NODE_ENV: "development" } : env,
    stdio,
    detached: true,
  })
  if (logFd !== null) {
    fs.closeSync(logFd)
  }
  const exited = new Promise((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })))
  let running = true
  void exited.then(() => {
    running = false
  })
  return {
    pid: child.pid,
    child,
    exited,
    isRunning: () => running,
    /** SIGTERM to the process group, SIGKILL after `graceMs`. */
    async stop(graceMs = 10_000) {
      if (!running) {
        return
      }
      const signalGroup = (signal) => {
        try {
          process.kill(-child.pid, signal)
        } catch {
          // the group is gone already
        }
      }
      signalGroup("SIGTERM")
      let timer
      const timeout = new Promise((resolve) => (timer = setTimeout(resolve, graceMs, "timeout")))
      const outcome = await Promise.race([exited, timeout])
      clearTimeout(timer)
      if (outcome === "timeout") {
        signalGroup("SIGKILL")
        await exited
      }
      // The forked server may outlive its parent for a moment: make sure nothing of the group is left.
      signalGroup("SIGKILL")
    },
  }
}

/** Polls `<baseUrl>/health` until it answers 200; false at the deadline or as soon as `server` exits. */
async function waitForHealth(baseUrl, { timeoutMs = 180_000, server } = {}) {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (server && !server.isRunning()) {
      return false
    }
    try {
      const res = await fetch(`${baseUrl}/health`)
      if (res.ok) {
        return true
      }
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 500))
  }
  return false
}

module.exports = {
  root,
  freePort,
  withDatabaseName,
  databaseName,
  ensureDatabase,
  dropDatabase,
  storeEnv,
  runMedusa,
  prepareStore,
  startMedusa,
  waitForHealth,
}
