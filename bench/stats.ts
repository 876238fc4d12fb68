/** Latency summaries: nearest-rank percentiles over the measured samples (milliseconds). */

export interface Summary {
  n: number
  p50: number
  p95: number
  p99: number
  mean: number
  /** Bootstrap 95% interval of the p50. */
  p50Interval: Interval
  /** The measured samples, sorted (for intervals of ratios between two summaries). */
  samples: number[]
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
    p50Interval: medianInterval(sorted),
    samples: sorted,
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
  return `${ms(s.p50)} ${interval(s.p50Interval)} / ${ms(s.p95)} / ${ms(s.p99)}`
}

/** A small seeded PRNG (mulberry32), so a report's intervals are reproducible from its samples. */
function rng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function resampledMedian(samples: number[], random: () => number): number {
  const copy = new Array<number>(samples.length)
  for (let i = 0; i < samples.length; i++) {
    copy[i] = samples[Math.floor(random() * samples.length)]
  }
  copy.sort((a, b) => a - b)
  return percentile(copy, 50)
}

export interface Interval {
  low: number
  high: number
}

export const BOOTSTRAP_RESAMPLES = 2000

/** Percentile bootstrap 95% interval of the p50 (2000 resamples with replacement). */
export function medianInterval(samples: number[], seed = 1): Interval {
  if (samples.length < 2) {
    return { low: NaN, high: NaN }
  }
  const random = rng(seed)
  const medians = Array.from({ length: BOOTSTRAP_RESAMPLES }, () => resampledMedian(samples, random)).sort(
    (a, b) => a - b
  )
  return { low: percentile(medians, 2.5), high: percentile(medians, 97.5) }
}

/**
 * Percentile bootstrap 95% interval of a statistic of two independent sample sets (each resampled on its own), e.g.
 * the ratio or the difference of their p50s.
 */
export function pairInterval(
  a: number[],
  b: number[],
  combine: (medianA: number, medianB: number) => number,
  seed = 2
): Interval {
  if (a.length < 2 || b.length < 2) {
    return { low: NaN, high: NaN }
  }
  const random = rng(seed)
  const values = Array.from({ length: BOOTSTRAP_RESAMPLES }, () =>
    combine(resampledMedian(a, random), resampledMedian(b, random))
  ).sort((x, y) => x - y)
  return { low: percentile(values, 2.5), high: percentile(values, 97.5) }
}

export function interval(i: Interval, format: (v: number) => string = ms): string {
  return Number.isFinite(i.low) ? `[${format(i.low)}–${format(i.high)}]` : "[–]"
}
