import { WEBHOOK_SYNC_DEFAULTS, webhookSyncOptionsOf } from "../webhook-sync-options"

const plugin = (webhookSync: unknown) => ({
  plugins: [{ resolve: "medusa-payment-orchestrator", options: { webhookSync } }],
  modules: {},
})

describe("webhookSyncOptionsOf", () => {
  it("keeps the production retry schedule when nothing is set: 5 tries, 1 s then doubling; 4 orders at once", () => {
    expect(webhookSyncOptionsOf({ plugins: [], modules: {} })).toEqual({
      attempts: 5,
      retryDelayMs: 1000,
      concurrency: 4,
    })
    expect(WEBHOOK_SYNC_DEFAULTS).toEqual({ attempts: 5, retryDelayMs: 1000, concurrency: 4 })
  })

  it("reads the plugin's options, or those of its module registered directly", () => {
    expect(webhookSyncOptionsOf(plugin({ retryDelayMs: 20 }))).toEqual({
      attempts: 5,
      retryDelayMs: 20,
      concurrency: 4,
    })
    expect(
      webhookSyncOptionsOf({
        plugins: [],
        modules: [{ resolve: "./src/modules/payment-orchestrator", options: { webhookSync: { attempts: 2 } } }],
      } as never)
    ).toEqual({ attempts: 2, retryDelayMs: 1000, concurrency: 4 })
  })

  it("refuses a wrong option with a sentence naming it", () => {
    expect(() => webhookSyncOptionsOf(plugin({ attempts: 0 }))).toThrow(/webhookSync options .*attempts/)
    expect(() => webhookSyncOptionsOf(plugin({ retryDelay: 5 }))).toThrow(/Invalid webhookSync options/)
  })
})
