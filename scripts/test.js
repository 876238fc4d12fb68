#!/usr/bin/env node
/**
 * `npm test`: every test suite in order (unit, sandbox, Medusa HTTP integration, the packed package in a fixture
 * store, the admin widget in a browser), then one closing line `N passed, N failed`. `node scripts/test.js browser`
 * runs the named phases only.
 */
const { spawnSync } = require("node:child_process")
const fs = require("node:fs")
const path = require("node:path")
require("./lib/ensure-dependencies").ensureDependencies()
const { checkDatabase } = require("./lib/check-database")

const root = path.resolve(__dirname, "..")
const outDir = path.join(root, ".tmp", "jest")
fs.mkdirSync(outDir, { recursive: true })

const phases = [
  { name: "unit", env: { TEST_TYPE: "unit" }, args: [] },
  { name: "sandbox", env: { TEST_TYPE: "sandbox" }, args: [] },
  { name: "integration:http", env: { TEST_TYPE: "integration:http" }, args: ["--forceExit"], needsDb: true },
  { name: "package", env: { TEST_TYPE: "package" }, args: ["--forceExit"], needsDb: true },
  // The admin widget in Chromium against a running store (integration-tests/browser).
  { name: "browser", env: { TEST_TYPE: "browser" }, args: ["--forceExit"], needsDb: true },
  // Two Medusa processes (server+worker, worker) on Redis's event bus, workflow engine and locking, one webhook flood.
  { name: "multi-instance", env: { TEST_TYPE: "multi-instance" }, args: ["--forceExit"], needsDb: true },
]

function testDatabaseUrl() {
  const user = process.env.DB_USERNAME || "postgres"
  const password = process.env.DB_PASSWORD ? `:${process.env.DB_PASSWORD}` : ""
  return `postgres://${user}${password}@${process.env.DB_HOST || "localhost"}:${process.env.DB_PORT || 5432}/postgres`
}

async function main() {
  const only = process.argv.slice(2)
  let passed = 0
  let failed = 0
  let broken = false
  let dbChecked = false
  for (const phase of phases) {
    if (only.length && !only.includes(phase.name)) {
      continue
    }
    if (phase.needsDb && !dbChecked) {
      if (!(await checkDatabase(testDatabaseUrl(), { purpose: "the integration tests" }))) {
        process.exit(1)
      }
      dbChecked = true
    }
    const outputFile = path.join(outDir, `${phase.name.replace(/:/g, "-")}.json`)
    fs.rmSync(outputFile, { force: true })
    console.log(`\n=== ${phase.name} tests ===`)
    const run = spawnSync(
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
        stdio: "inherit",
        env: { ...process.env, ...phase.env, NODE_OPTIONS: "--experimental-vm-modules" },
      }
    )
    if (!fs.existsSync(outputFile)) {
      console.error(`The ${phase.name} tests did not run (jest exited with ${run.status}).`)
      broken = true
      continue
    }
    const result = JSON.parse(fs.readFileSync(outputFile, "utf8"))
    passed += result.numPassedTests
    failed += result.numFailedTests
    if (run.status !== 0 && result.numFailedTests === 0) {
      console.error(`The ${phase.name} tests failed to run cleanly (jest exited with ${run.status}).`)
      broken = true
    }
  }
  console.log(`\n${passed} passed, ${failed} failed`)
  process.exit(failed > 0 || broken ? 1 : 0)
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
