import { awaitedChange, refreshInterval, REFRESH_POLICY } from "../refresh-policy"
import { actionGroups } from "../transaction-display"

const T0 = 1_000_000_000_000

describe("awaitedChange", () => {
  it("waits for a pending transaction first, then for an open dispute, else for nothing", () => {
    expect(awaitedChange([{ status: "complete" }, { status: "pending" }], [{ status: "won" }])).toBe(
      "pending-transaction"
    )
    expect(awaitedChange([{ status: "complete" }], [{ status: "needs_response" }])).toBe("open-dispute")
    expect(awaitedChange([{ status: "complete" }], [{ status: "won" }, { status: "lost" }])).toBeNull()
    expect(awaitedChange(undefined, undefined)).toBeNull()
  })
})

describe("refreshInterval", () => {
  const settled = { changedAt: T0, actedAt: 0 }

  it("does not poll when nothing is awaited and no action is being watched", () => {
    expect(refreshInterval(T0 + 1000, settled, null)).toBe(false)
  })

  it("polls fast right after a change, slower the longer nothing changes, never beyond the maximum", () => {
    expect(refreshInterval(T0 + 100, settled, "open-dispute")).toBe(REFRESH_POLICY.minMs)
    expect(refreshInterval(T0 + 20_000, settled, "open-dispute")).toBe(10_000)
    expect(refreshInterval(T0 + 5 * 60_000, settled, "open-dispute")).toBe(REFRESH_POLICY.maxMs)
  })

  it("stops once nothing changed for the give-up time, even while something is awaited", () => {
    expect(refreshInterval(T0 + REFRESH_POLICY.giveUpAfterMs, settled, "pending-transaction")).toBe(false)
  })

  it("watches for a while after an action, then stops when nothing is awaited", () => {
    const acted = { changedAt: T0 - 60_000, actedAt: T0 }
    expect(refreshInterval(T0 + 1000, acted, null)).toBe(REFRESH_POLICY.minMs)
    expect(refreshInterval(T0 + 10_000, acted, null)).toBe(5000)
    expect(refreshInterval(T0 + REFRESH_POLICY.afterActionMs, acted, null)).toBe(false)
  })
})

describe("actionGroups", () => {
  it("groups capture, refund and cancel actions in that order, leaving out empty groups", () => {
    expect(actionGroups(["capture", "capture-manual", "cancel"])).toEqual([["capture", "capture-manual"], ["cancel"]])
    expect(actionGroups(["mark-refunded"])).toEqual([["mark-refunded"]])
    expect(actionGroups([])).toEqual([])
  })
})
