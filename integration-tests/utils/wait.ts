/** Runs `check` until it passes (returns without throwing) or the deadline passes; then rethrows its last failure. */
export async function eventually<T>(
  check: () => Promise<T>,
  { timeout = 30_000, interval = 250 }: { timeout?: number; interval?: number } = {}
): Promise<T> {
  const deadline = Date.now() + timeout
  for (;;) {
    try {
      return await check()
    } catch (e) {
      if (Date.now() > deadline) {
        throw e
      }
      await new Promise((resolve) => setTimeout(resolve, interval))
    }
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))
