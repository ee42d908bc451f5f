/**
 * The explanation charts of shared/explain/report/charts.ts (browser-safe, pure SVG strings). Behind this one
 * function so that the page falls back to tables when a chart throws; svg.ts sanitises what they return.
 */
import { dependencePlot, importanceBars, lineageGraph, localExplanation, shapSummary } from '../../shared/explain/report/charts';

export interface ChartFunctions {
  importanceBars?(pi: unknown): string;
  shapSummary?(shap: unknown, x?: unknown): string;
  dependencePlot?(feature: string, pd: unknown): string;
  localExplanation?(shap: unknown, row: number): string;
  lineageGraph?(lineage: unknown, evidence?: unknown): string;
}

const CHARTS: ChartFunctions = {
  importanceBars: (pi) => importanceBars(pi as Parameters<typeof importanceBars>[0]),
  shapSummary: (shap) => shapSummary(shap as Parameters<typeof shapSummary>[0]),
  dependencePlot: (f, pd) => dependencePlot(f, pd as Parameters<typeof dependencePlot>[1]),
  localExplanation: (shap, row) => localExplanation(shap as Parameters<typeof localExplanation>[0], row),
  lineageGraph: (lin, ev) => lineageGraph(lin as Parameters<typeof lineageGraph>[0], (ev ?? []) as Parameters<typeof lineageGraph>[1]),
};

export function charts(): ChartFunctions | undefined {
  return CHARTS;
}
