/**
 * `npm test` and `npm run demo` on a fresh clone: when the dependencies were never installed (no
 * `node_modules/.package-lock.json`, which every npm install writes), installs them from the lock file first, so that
 * the README's commands are all the set-up there is. Node's own modules only: it runs before anything is installed.
 */
const { spawnSync } = require("node:child_process")
const fs = require("node:fs")
const path = require("node:path")

const root = path.resolve(__dirname, "..", "..")

function npm(args) {
  console.log(`\n> npm ${args.join(" ")}`)
  return spawnSync(process.platform === "win32" ? "npm.cmd" : "npm", args, { cwd: root, stdio: "inherit" }).status
}

function ensureDependencies() {
  if (fs.existsSync(path.join(root, "node_modules", ".package-lock.json"))) {
    return
  }
  console.log("The dependencies are not installed yet: installing them from package-lock.json (npm ci).")
  if (npm(["ci", "--no-audit", "--no-fund"]) === 0) {
    return
  }
  // npm ci refuses a lock file that does not match package.json (edited by hand): npm install updates it.
  console.log("npm ci failed: trying npm install.")
  if (npm(["install", "--no-audit", "--no-fund"]) !== 0) {
    console.error("Installing the dependencies failed: see npm's output above.")
    process.exit(1)
  }
}

module.exports = { ensureDependencies }
