/**
 * Challenger versus champion: the champion's metrics on the same evaluation data, and how the importance profile
 * moved. Importances are permutation importance means, normalised to sum 1 over their absolute values, so the
 * shift compares shares of importance and not the metric's scale; a feature one model lacks counts as 0 there.
 */
import type { ChampionComparison, Metrics, PermutationImportance } from '../types';

export function normalisedImportance(pi: Pick<PermutationImportance, 'featureNames' | 'mean'>): Map<string, number> {
  const total = pi.mean.reduce((a, v) => a + Math.abs(v), 0);
  const out = new Map<string, number>();
  pi.featureNames.forEach((f, i) => out.set(f, total > 0 ? Math.abs(pi.mean[i]) / total : 0));
  return out;
}

export function compareWithChampion(
  challenger: Pick<PermutationImportance, 'featureNames' | 'mean'>,
  champion: { model: ChampionComparison['model']; metrics: Metrics; importance: Pick<PermutationImportance, 'featureNames' | 'mean'> },
): ChampionComparison {
  const a = normalisedImportance(challenger);
  const b = normalisedImportance(champion.importance);
  const importanceShift: Record<string, number> = {};
  let maxShift = 0;
  const names = [...challenger.featureNames, ...champion.importance.featureNames.filter((f) => !a.has(f))];
  for (const f of names) {
    const shift = (a.get(f) ?? 0) - (b.get(f) ?? 0);
    importanceShift[f] = shift;
    maxShift = Math.max(maxShift, Math.abs(shift));
  }
  return { model: champion.model, metrics: champion.metrics, importanceShift, maxShift };
}

/** challenger − champion per metric both have (for the report's comparison table). */
export function metricDeltas(challenger: Metrics, champion: Metrics): Partial<Record<keyof Metrics, number>> {
  const out: Partial<Record<keyof Metrics, number>> = {};
  for (const k of Object.keys(challenger) as (keyof Metrics)[]) {
    if (k === 'rows') continue;
    const x = challenger[k], y = champion[k];
    if (typeof x === 'number' && typeof y === 'number') out[k] = x - y;
  }
  return out;
}
