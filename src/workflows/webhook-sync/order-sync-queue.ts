/**
 * Coalesces the webhook sync of one order in this process. Every sync re-reads the PSP's current state of what it is
 * about (a payment's refunds, or one dispute), so one re-read made after an event arrived covers that event, however
 * many others came with it. A burst of events about one order therefore costs one or two re-reads, not one each, and
 * does not queue up on the order's lock:
 *
 * - An event's sync is a job keyed by what it re-reads (`refunds:<payment>`, `dispute:<dispute>`). Jobs of one order
 *   wait in its queue; a second event for a job already waiting joins it (the job runs once for both).
 * - One drainer per order takes the order's lock (the same lock as the transaction API's actions and other processes'
 *   syncs), takes every job waiting at that moment, runs them, releases the lock, and starts over while jobs are
 *   waiting. An event that arrives while its job runs is not answered by that run (it may have read the PSP before the
 *   event's change): its job waits for the next round, which re-reads once for all events that arrived meanwhile (the
 *   job is "dirty").
 * - Each waiting event gets its job's outcome, or its error (its delivery then gives its claim up and is retried).
 *
 * - At most `maxRounds` orders run a round at once in this process (the others wait their turn before taking their
 *   lock): hundreds of syncs at once only make each other slow, all competing for the database's connections and the
 *   CPU while they hold their orders' locks.
 *
 * Other processes coalesce their own events; the order lock keeps their syncs of one order apart.
 */

/** What the drainer holds while it runs a round of jobs. */
export interface HeldLock {
  release(): Promise<unknown>
}

export interface SyncJob {
  /** What the job re-reads: jobs with the same key in one order's queue run once. */
  key: string
  /** Re-reads the PSP and records what Medusa lacks; answers what it did. */
  run: () => Promise<string>
}

interface Waiter {
  resolve(outcome: string): void
  reject(error: unknown): void
}

interface WaitingJob {
  run: () => Promise<string>
  waiters: Waiter[]
}

interface OrderQueue {
  waiting: Map<string, WaitingJob>
  draining: boolean
  lock: () => Promise<HeldLock>
}

export class OrderSyncQueue {
  private readonly orders = new Map<string, OrderQueue>()
  private running = 0
  private readonly turns: (() => void)[] = []

  constructor(private maxRounds: number = 4) {}

  /** Sets how many orders may run a round at once (the plugin's `webhookSync.concurrency`). */
  setMaxRounds(maxRounds: number): void {
    this.maxRounds = Math.max(1, Math.floor(maxRounds))
    this.nextTurn()
  }

  /**
   * Queues `job` for `orderId` and answers its outcome once a run that started after this call has finished.
   * `lock` takes the order's lock (it may throw, e.g. when another process holds it too long: the waiting jobs fail).
   */
  submit(orderId: string, job: SyncJob, lock: () => Promise<HeldLock>): Promise<string> {
    let queue = this.orders.get(orderId)
    if (!queue) {
      queue = { waiting: new Map(), draining: false, lock }
      this.orders.set(orderId, queue)
    }
    const target = queue
    const outcome = new Promise<string>((resolve, reject) => {
      const waiting = target.waiting.get(job.key)
      if (waiting) {
        // The latest event's closure: equivalent inputs, and the latest event is the one a change is credited to.
        waiting.run = job.run
        waiting.waiters.push({ resolve, reject })
      } else {
        target.waiting.set(job.key, { run: job.run, waiters: [{ resolve, reject }] })
      }
    })
    if (!queue.draining) {
      queue.draining = true
      void this.drain(orderId, queue)
    }
    return outcome
  }

  /** Orders with jobs waiting or running (for tests). */
  get size(): number {
    return this.orders.size
  }

  private async drain(orderId: string, queue: OrderQueue): Promise<void> {
    while (queue.waiting.size > 0) {
      await this.turn()
      let held: HeldLock
      try {
        held = await queue.lock()
      } catch (e) {
        this.endTurn()
        this.failAll(queue, e)
        continue
      }
      // Taken after the lock: every event that arrived while the lock was awaited is covered by this round.
      const round = [...queue.waiting.values()]
      queue.waiting = new Map()
      try {
        for (const job of round) {
          try {
            const outcome = await job.run()
            job.waiters.forEach((w) => w.resolve(outcome))
          } catch (e) {
            job.waiters.forEach((w) => w.reject(e))
          }
        }
      } finally {
        // Released after every round, so an admin's action on the order waits for one round at most.
        await held.release().catch(() => undefined)
        this.endTurn()
      }
    }
    queue.draining = false
    if (this.orders.get(orderId) === queue) {
      this.orders.delete(orderId)
    }
  }

  private turn(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.turns.push(resolve)
      this.nextTurn()
    })
  }

  private endTurn(): void {
    this.running--
    this.nextTurn()
  }

  private nextTurn(): void {
    while (this.running < this.maxRounds && this.turns.length > 0) {
      this.running++
      this.turns.shift()!()
    }
  }

  private failAll(queue: OrderQueue, error: unknown): void {
    const jobs = [...queue.waiting.values()]
    queue.waiting = new Map()
    jobs.forEach((job) => job.waiters.forEach((w) => w.reject(error)))
  }
}
