import type { MedusaContainer } from "@medusajs/framework/types"
import { Modules, PaymentWebhookEvents } from "@medusajs/framework/utils"

type Listener = (...args: unknown[]) => unknown

/**
 * Wraps every subscriber of `payment.webhook_received` (Medusa's own handler and the plugin's sync) to count the runs
 * that finished, successfully or not, so that a test can wait until every delivery it made has been handled before it
 * asserts that something did, or did not, happen. Like `TestEventUtils.waitSubscribersExecution`, which the provider
 * tests use, but for a number of deliveries learnt only once they are sent, and whatever their outcome. Install it
 * before delivering; `restore()` it afterwards.
 */
export function trackWebhookHandlers(container: MedusaContainer) {
  const emitter = (
    container.resolve(Modules.EVENT_BUS) as unknown as {
      eventEmitter_: {
        listeners(name: string): Listener[]
        removeListener(name: string, fn: Listener): void
        on(name: string, fn: Listener): void
      }
    }
  ).eventEmitter_
  const name = PaymentWebhookEvents.WebhookReceived
  const originals = emitter.listeners(name)
  let finished = 0
  const wrappers = originals.map((listener) => {
    const wrapper = async (...args: unknown[]) => {
      try {
        return await listener(...args)
      } finally {
        finished++
      }
    }
    emitter.removeListener(name, listener)
    emitter.on(name, wrapper)
    return wrapper
  })
  return {
    /** Resolves once every subscriber has finished handling `deliveries` deliveries (Medusa handles each 5 s late). */
    async done(deliveries: number, timeoutMs = 120_000): Promise<void> {
      const deadline = Date.now() + timeoutMs
      while (finished < deliveries * originals.length) {
        if (Date.now() > deadline) {
          throw new Error(
            `Only ${finished} of ${deliveries * originals.length} webhook handler runs finished in ${timeoutMs} ms.`
          )
        }
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
    },
    restore(): void {
      wrappers.forEach((w) => emitter.removeListener(name, w))
      originals.forEach((l) => emitter.on(name, l))
    },
  }
}
