/** Latency summaries: nearest-rank percentiles over the measured samples (milliseconds). */

export interface Summary {
  n: number
  p50: number
  p95: number
  p99: number
  mean: number
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) {
    return NaN
  }
  const rank = Math.ceil((p / 100) * sorted.length)
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]
}

export function summarize(samples: number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b)
  return {
    n: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    mean: sorted.reduce((s, x) => s + x, 0) / (sorted.length || 1),
  }
}

export function ms(value: number): string {
  if (!Number.isFinite(value)) {
    return "–"
  }
  return value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2)
}

export function ratio(value: number): string {
  return Number.isFinite(value) ? `${value.toFixed(2)}x` : "–"
}

export function triple(s: Summary): string {
  return `${ms(s.p50)} / ${ms(s.p95)} / ${ms(s.p99)}`
}
