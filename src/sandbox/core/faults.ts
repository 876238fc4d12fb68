export type Psp = "stripe" | "paypal"

export type FaultKind = "latency" | "status" | "reset" | "timeout"

/**
 * One fault to inject into the next `count` PSP calls that match. With `phase: "after"` the PSP performs the operation
 * (money moves, the idempotency key remembers the answer) and only then the answer is lost: the case where the caller
 * cannot know the outcome.
 */
export interface FaultRule {
  psp?: Psp
  method?: string
  /** Matches when the PSP-relative path contains this text, or matches it as a regular expression (`/…/`). */
  path?: string
  kind: FaultKind
  /** HTTP status for `status` faults (default 500). */
  status?: number
  /** Body for `status` faults (default: the PSP's own error shape for an internal error). */
  body?: unknown
  /** Delay for `latency`; for `timeout`, how long the socket is held before it is dropped (default 60 s). */
  delay_ms?: number
  /** How many matching calls it applies to (default 1). */
  count?: number
  /** `before` (default): nothing happens at the PSP. `after`: the PSP acts, then the answer is lost. */
  phase?: "before" | "after"
}

export interface ActiveFault extends Required<Pick<FaultRule, "kind" | "count" | "phase">> {
  id: number
  rule: FaultRule
}

export class FaultInjector {
  private faults: ActiveFault[] = []
  private nextId = 1

  add(rule: FaultRule): ActiveFault {
    if (!["latency", "status", "reset", "timeout"].includes(rule.kind)) {
      throw new Error(`Unknown fault kind "${String(rule.kind)}": use latency, status, reset or timeout.`)
    }
    const fault: ActiveFault = {
      id: this.nextId++,
      rule,
      kind: rule.kind,
      count: rule.count ?? 1,
      phase: rule.phase ?? "before",
    }
    this.faults.push(fault)
    return fault
  }

  /** Takes (and uses up one count of) the first fault matching this call, if any. */
  take(psp: Psp, method: string, path: string): ActiveFault | undefined {
    const fault = this.faults.find((f) => matches(f.rule, psp, method, path))
    if (!fault) {
      return undefined
    }
    fault.count -= 1
    if (fault.count <= 0) {
      this.faults = this.faults.filter((f) => f !== fault)
    }
    return fault
  }

  list(): ActiveFault[] {
    return [...this.faults]
  }

  clear(): void {
    this.faults = []
  }
}

function matches(rule: FaultRule, psp: Psp, method: string, path: string): boolean {
  if (rule.psp && rule.psp !== psp) {
    return false
  }
  if (rule.method && rule.method.toUpperCase() !== method.toUpperCase()) {
    return false
  }
  if (rule.path) {
    if (rule.path.length > 2 && rule.path.startsWith("/") && rule.path.endsWith("/")) {
      return new RegExp(rule.path.slice(1, -1)).test(path)
    }
    return path.includes(rule.path)
  }
  return true
}
