import { execFileSync } from "node:child_process"
import fs from "node:fs"
import path from "node:path"

export const repoRoot = path.resolve(__dirname, "../..")
export const fixtureStore = path.join(__dirname, "fixture-store")

export interface PackedPlugin {
  tarball: string
  files: string[]
}

/**
 * Builds the plugin as it is published (`npm run build`, `npm pack`) and unpacks the tarball into the fixture
 * store's node_modules, as `npm install` would. The store's other dependencies resolve from the repository's
 * node_modules (an ancestor folder), which hold the same versions a user's install would.
 */
export function packIntoFixtureStore(): PackedPlugin {
  // `npm run build`: medusa plugin:build, then the storefront kit (storefront/dist), as prepublishOnly builds it.
  execFileSync("npm", ["run", "build"], { cwd: repoRoot, stdio: "pipe" })
  const out = path.join(repoRoot, ".tmp", "pack")
  fs.rmSync(out, { recursive: true, force: true })
  fs.mkdirSync(out, { recursive: true })
  const [report] = JSON.parse(
    execFileSync("npm", ["pack", "--json", "--pack-destination", out], { cwd: repoRoot, encoding: "utf8" })
  ) as { filename: string; files: { path: string }[] }[]
  const tarball = path.join(out, report.filename)
  const target = path.join(fixtureStore, "node_modules", "medusa-payment-orchestrator")
  fs.rmSync(target, { recursive: true, force: true })
  fs.mkdirSync(target, { recursive: true })
  execFileSync("tar", ["-xzf", tarball, "-C", target, "--strip-components=1"])
  return { tarball, files: report.files.map((f) => f.path) }
}
