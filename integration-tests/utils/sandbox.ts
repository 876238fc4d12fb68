import { startSandbox, type RunningSandbox } from "../../src/sandbox"

/**
 * Starts the PSP sandbox for one test file, before the Medusa app boots (register it before
 * `medusaIntegrationTestRunner`), and points the store's providers at it through the environment that
 * `medusa-config.ts` reads.
 */
export function useSandbox(): { readonly current: RunningSandbox } {
  const holder: { current?: RunningSandbox } = {}
  beforeAll(async () => {
    holder.current = await startSandbox()
    process.env.PSP_SANDBOX_URL = holder.current.url
  })
  afterAll(async () => {
    await holder.current?.close()
  })
  return {
    get current(): RunningSandbox {
      if (!holder.current) {
        throw new Error("The sandbox is not started yet: use it inside tests or hooks.")
      }
      return holder.current
    },
  }
}
