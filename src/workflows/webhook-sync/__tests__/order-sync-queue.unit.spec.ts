import { OrderSyncQueue, type HeldLock } from "../order-sync-queue"

/** A promise with its resolve exposed. */
function gate<T = void>() {
  let open!: (value: T) => void
  const promise = new Promise<T>((resolve) => (open = resolve))
  return { promise, open }
}

/** An in-memory order lock that records who held it, one holder at a time. */
function recordingLock() {
  let holders = 0
  let maxHolders = 0
  let taken = 0
  return {
    lock: async (): Promise<HeldLock> => {
      holders++
      taken++
      maxHolders = Math.max(maxHolders, holders)
      return {
        release: async () => {
          holders--
        },
      }
    },
    get taken() {
      return taken
    },
    get maxHolders() {
      return maxHolders
    },
  }
}

const flush = () => new Promise((resolve) => setImmediate(resolve))

describe("OrderSyncQueue", () => {
  it("runs a job once for every event that arrived before it started, under one lock", async () => {
    const queue = new OrderSyncQueue()
    const lock = recordingLock()
    const runs: string[] = []
    const job = (name: string) => ({ key: "refunds:pay_1", run: async () => (runs.push(name), `synced by ${name}`) })

    const outcomes = await Promise.all([
      queue.submit("order_1", job("a"), lock.lock),
      queue.submit("order_1", job("b"), lock.lock),
      queue.submit("order_1", job("c"), lock.lock),
    ])

    // One re-read for the three events, with the latest event's closure; each event gets its outcome.
    expect(runs).toEqual(["c"])
    expect(outcomes).toEqual(["synced by c", "synced by c", "synced by c"])
    expect(lock.taken).toBe(1)
    await flush()
    expect(queue.size).toBe(0)
  })

  it("an event that arrives while its job runs waits for one more run (the first may have read before its change)", async () => {
    const queue = new OrderSyncQueue()
    const lock = recordingLock()
    const firstRunning = gate()
    const finishFirst = gate()
    let runs = 0
    const job = {
      key: "refunds:pay_1",
      run: async () => {
        runs++
        if (runs === 1) {
          firstRunning.open()
          await finishFirst.promise
        }
        return `run ${runs}`
      },
    }

    const first = queue.submit("order_1", job, lock.lock)
    await firstRunning.promise
    const during = [queue.submit("order_1", job, lock.lock), queue.submit("order_1", job, lock.lock)]
    finishFirst.open()

    expect(await first).toBe("run 1")
    // Both late events are answered by the second run, not the first: one more re-read for the two of them.
    expect(await Promise.all(during)).toEqual(["run 2", "run 2"])
    expect(runs).toBe(2)
    expect(lock.taken).toBe(2)
    expect(lock.maxHolders).toBe(1)
  })

  it("runs different jobs of one order one after another, and orders apart from each other", async () => {
    const queue = new OrderSyncQueue()
    const lock = recordingLock()
    let running = 0
    let maxRunning = 0
    const job = (key: string) => ({
      key,
      run: async () => {
        running++
        maxRunning = Math.max(maxRunning, running)
        await flush()
        running--
        return key
      },
    })

    const outcomes = await Promise.all([
      queue.submit("order_1", job("refunds:pay_1"), lock.lock),
      queue.submit("order_1", job("dispute:dp_1"), lock.lock),
      queue.submit("order_2", job("refunds:pay_2"), lock.lock),
    ])

    expect(outcomes).toEqual(["refunds:pay_1", "dispute:dp_1", "refunds:pay_2"])
    // order_1's two jobs never ran together; order_2's ran beside them.
    expect(maxRunning).toBe(2)
  })

  it("a failed run fails every event it was for, and the next event runs the job again", async () => {
    const queue = new OrderSyncQueue()
    const lock = recordingLock()
    let fail = true
    const job = {
      key: "refunds:pay_1",
      run: async () => {
        if (fail) {
          throw new Error("Stripe could not list the refunds")
        }
        return "synced"
      },
    }

    const failed = await Promise.allSettled([
      queue.submit("order_1", job, lock.lock),
      queue.submit("order_1", job, lock.lock),
    ])
    expect(failed.map((r) => r.status)).toEqual(["rejected", "rejected"])
    expect((failed[0] as PromiseRejectedResult).reason.message).toBe("Stripe could not list the refunds")

    fail = false
    await expect(queue.submit("order_1", job, lock.lock)).resolves.toBe("synced")
    await flush()
    expect(queue.size).toBe(0)
  })

  it("when the order's lock cannot be taken, the waiting events fail and nothing runs", async () => {
    const queue = new OrderSyncQueue()
    const run = jest.fn(async () => "synced")
    const lock = async (): Promise<HeldLock> => {
      throw new Error("Another payment action on this order is in progress")
    }

    await expect(queue.submit("order_1", { key: "refunds:pay_1", run }, lock)).rejects.toThrow(
      "Another payment action on this order is in progress"
    )
    expect(run).not.toHaveBeenCalled()
    await flush()
    expect(queue.size).toBe(0)
  })
})

describe("OrderSyncQueue's limit", () => {
  it("runs rounds of at most `maxRounds` orders at once; the others wait their turn and all finish", async () => {
    const queue = new OrderSyncQueue(2)
    const lock = recordingLock()
    let running = 0
    let maxRunning = 0
    const job = (key: string) => ({
      key,
      run: async () => {
        running++
        maxRunning = Math.max(maxRunning, running)
        await flush()
        await flush()
        running--
        return key
      },
    })

    const outcomes = await Promise.all(
      ["order_1", "order_2", "order_3", "order_4", "order_5"].map((order) =>
        queue.submit(order, job(`refunds:${order}`), lock.lock)
      )
    )

    expect(outcomes).toEqual(["order_1", "order_2", "order_3", "order_4", "order_5"].map((o) => `refunds:${o}`))
    expect(maxRunning).toBe(2)
    expect(lock.maxHolders).toBe(2)
  })
})
