/**
 * The browser of the browser test: Debian's `chromium` (`.ci/run` installs it with apt-get when it is absent) driven by
 * playwright-core, which downloads no browser of its own. CHROMIUM_PATH points at another binary.
 */
const fs = require("node:fs")

const DEFAULT_CHROMIUM = "/usr/bin/chromium"

/** Headless flags that need no network, no GPU and no user namespace (CI runs as root: --no-sandbox). */
const CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]

function chromiumPath(env = process.env) {
  const candidate = env.CHROMIUM_PATH || DEFAULT_CHROMIUM
  if (!fs.existsSync(candidate)) {
    throw new Error(
      `No Chromium at ${candidate}. Install Debian's package (\`apt-get install chromium\`; .ci/run does it), ` +
        "or set CHROMIUM_PATH to a Chromium or Chrome binary."
    )
  }
  return candidate
}

/** Launches headless Chromium through playwright-core. */
async function launchChromium(options = {}) {
  const { chromium } = require("playwright-core")
  return chromium.launch({ executablePath: chromiumPath(), headless: true, args: CHROMIUM_ARGS, ...options })
}

module.exports = { CHROMIUM_ARGS, chromiumPath, launchChromium }
