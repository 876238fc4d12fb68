/** The sandbox's notion of "now": real time plus an offset the control API can advance (to age authorizations). */
export class SandboxClock {
  private offsetMs = 0

  now(): number {
    return Date.now() + this.offsetMs
  }

  /** Unix seconds, as Stripe timestamps are. */
  unix(): number {
    return Math.floor(this.now() / 1000)
  }

  iso(offsetMs = 0): string {
    return new Date(this.now() + offsetMs).toISOString().replace(/\.\d{3}Z$/, "Z")
  }

  advance(ms: number): void {
    this.offsetMs += ms
  }

  reset(): void {
    this.offsetMs = 0
  }
}
