/** Summary statistics for benchmark samples. Medians, because the machine is shared and outliers are noise. */
export interface Summary {
  runs: number;
  medianMs: number;
  minMs: number;
  maxMs: number;
}

/** Median of a non-empty list; the mean of the two middle values when the count is even. */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) throw new Error('median of no samples');
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

export function summarize(samplesMs: readonly number[]): Summary {
  return {
    runs: samplesMs.length,
    medianMs: round1(median(samplesMs)),
    minMs: round1(Math.min(...samplesMs)),
    maxMs: round1(Math.max(...samplesMs)),
  };
}

export function round1(x: number): number {
  return Math.round(x * 10) / 10;
}
