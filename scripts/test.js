#!/usr/bin/env node
/**
 * `npm test`: every test suite (unit, sandbox, Medusa HTTP integration, the packed package in a fixture store, the
 * admin widget and the storefront in a browser, two processes on Redis), then one closing line `N passed, N failed`.
 * `node scripts/test.js browser` runs the named phases only.
 *
 * Unit and sandbox run first. The slow phases then run in three lanes at once: half of the HTTP files, the other
 * half, and the package, browser and multi-instance phases. Each phase boots its own stores (own databases, free
 * ports), and most of their time is spent waiting (Medusa's webhook delay, subscribers, the PSP sandbox): a test
 * process uses about a quarter of a core (provider-webhooks: 31 s of CPU in 105 s), so three lanes share two cores
 * well. The other lanes' output is kept in .tmp/jest/<phase>.log and printed when each phase ends. TEST_LANES=1 runs
 * everything in one lane, one phase after the other.
 */
const { spawn } = require("node:child_process")
const fs = require("node:fs")
const path = require("node:path")
require("./lib/ensure-dependencies").ensureDependencies()
const { checkDatabase } = require("./lib/check-database")

const root = path.resolve(__dirname, "..")
const outDir = path.join(root, ".tmp", "jest")
fs.mkdirSync(outDir, { recursive: true })

/**
 * The HTTP files in two groups of about the same length, one per lane: the files named here, and every other HTTP file
 * (so a new file always runs).
 */
const HTTP_DIR = path.join(root, "integration-tests", "http")
const HTTP_GROUP_A = [
  "reliability-faults.spec.ts",
  "transactions-api.spec.ts",
  "storefront-checkout.spec.ts",
  "stripe-provider.spec.ts",
  "paypal-provider.spec.ts",
]
const httpFiles = (group) =>
  fs
    .readdirSync(HTTP_DIR)
    .filter((f) => f.endsWith(".spec.ts") && HTTP_GROUP_A.includes(f) === (group === "a"))
    .map((f) => path.join("integration-tests", "http", f))

const phases = [
  { name: "unit", env: { TEST_TYPE: "unit" }, args: [] },
  { name: "sandbox", env: { TEST_TYPE: "sandbox" }, args: [] },
  ...["a", "b"].map((group, i) => ({
    name: `integration:http:${group}`,
    selectedBy: "integration:http",
    env: { TEST_TYPE: "integration:http" },
    args: ["--forceExit", "--runTestsByPath", ...httpFiles(group)],
    needsDb: true,
    lane: i + 1,
  })),
  { name: "package", env: { TEST_TYPE: "package" }, args: ["--forceExit"], needsDb: true, lane: 3 },
  // The admin widget and the storefront in Chromium against running stores (integration-tests/browser).
  { name: "browser", env: { TEST_TYPE: "browser" }, args: ["--forceExit"], needsDb: true, lane: 3 },
  // Two Medusa processes (server+worker, worker) on Redis's event bus, workflow engine and locking, one webhook flood.
  { name: "multi-instance", env: { TEST_TYPE: "multi-instance" }, args: ["--forceExit"], needsDb: true, lane: 3 },
]

function testDatabaseUrl() {
  const user = process.env.DB_USERNAME || "postgres"
  const password = process.env.DB_PASSWORD ? `:${process.env.DB_PASSWORD}` : ""
  return `postgres://${user}${password}@${process.env.DB_HOST || "localhost"}:${process.env.DB_PORT || 5432}/postgres`
}

/** Runs one phase's jest; `echo: false` keeps its output in a log file, printed once it ends. */
function runPhase(phase, { echo }) {
  const outputFile = path.join(outDir, `${phase.name.replace(/:/g, "-")}.json`)
  const logFile = path.join(outDir, `${phase.name.replace(/:/g, "-")}.log`)
  fs.rmSync(outputFile, { force: true })
  const started = Date.now()
  console.log(
    `\n=== ${phase.name} tests${echo ? "" : ` (output in ${path.relative(root, logFile)} until it ends)`} ===`
  )
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [
        require.resolve("jest/bin/jest"),
        "--runInBand",
        "--passWithNoTests",
        "--json",
        `--outputFile=${outputFile}`,
        ...phase.args,
      ],
      {
        cwd: root,
        stdio: echo ? "inherit" : ["ignore", "pipe", "pipe"],
        env: { ...process.env, ...phase.env, NODE_OPTIONS: "--experimental-vm-modules" },
      }
    )
    if (!echo) {
      const log = fs.createWriteStream(logFile)
      child.stdout.pipe(log)
      child.stderr.pipe(log)
    }
    child.on("close", (status) => {
      const seconds = Math.round((Date.now() - started) / 1000)
      if (!echo) {
        console.log(`\n=== ${phase.name} tests: output ===`)
        process.stdout.write(fs.readFileSync(logFile, "utf8"))
      }
      console.log(`=== ${phase.name} tests ended after ${seconds} s ===`)
      if (!fs.existsSync(outputFile)) {
        console.error(`The ${phase.name} tests did not run (jest exited with ${status}).`)
        return resolve({ passed: 0, failed: 0, broken: true })
      }
      const result = JSON.parse(fs.readFileSync(outputFile, "utf8"))
      const broken = status !== 0 && result.numFailedTests === 0
      if (broken) {
        console.error(`The ${phase.name} tests failed to run cleanly (jest exited with ${status}).`)
      }
      resolve({ passed: result.numPassedTests, failed: result.numFailedTests, broken })
    })
  })
}

async function runLane(lane, echo) {
  const results = []
  for (const phase of lane) {
    results.push(await runPhase(phase, { echo }))
  }
  return results
}

async function main() {
  const only = process.argv.slice(2)
  const selected = phases.filter(
    (phase) => !only.length || only.includes(phase.name) || only.includes(phase.selectedBy)
  )
  if (selected.some((phase) => phase.needsDb)) {
    if (!(await checkDatabase(testDatabaseUrl(), { purpose: "the integration tests" }))) {
      process.exit(1)
    }
  }
  const results = await runLane(
    selected.filter((phase) => !phase.lane),
    true
  )
  const laned = selected.filter((phase) => phase.lane)
  const laneIds = [...new Set(laned.map((phase) => phase.lane))]
  if (process.env.TEST_LANES === "1" || laneIds.length < 2) {
    results.push(...(await runLane(laned, true)))
  } else {
    // Own database slots, so that the lanes' Medusa test databases and templates never share a name. The first lane
    // prints as it goes; the others print each phase when it ends.
    const lanes = laneIds.map((id, i) =>
      runLane(
        laned
          .filter((phase) => phase.lane === id)
          .map((phase) => ({ ...phase, env: { ...phase.env, TEST_DB_SLOT: `${id}` } })),
        i === 0
      )
    )
    for (const lane of await Promise.all(lanes)) {
      results.push(...lane)
    }
  }
  const passed = results.reduce((n, r) => n + r.passed, 0)
  const failed = results.reduce((n, r) => n + r.failed, 0)
  console.log(`\n${passed} passed, ${failed} failed`)
  process.exit(failed > 0 || results.some((r) => r.broken) ? 1 : 0)
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
