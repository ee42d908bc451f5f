import { relative } from 'node:path';
import { applyBaseline, defaultPlugins, loadBaseline, scanTree } from '../../scan';
import { createArmTemplateHandler } from '../../scan/armTemplate';
import type { Finding, RuleMeta, RuleOptions } from '../../rules/types';
import type { GateHost } from '../../pipeline/host';
import type { SecurityGateInputs } from './inputs';

export interface ScanPart {
  root: string;
  /** Findings that count (not in the baseline). */
  findings: Finding[];
  /** Findings the baseline file already knows: reported, never failing the build. */
  known: Finding[];
  rules: RuleMeta[];
  warnings: string[];
  files: number;
  bytes: number;
  ms: number;
}

/** Scans files, notebooks, model files and ARM templates under the scan path. */
export async function scanContent(s: NonNullable<SecurityGateInputs['scan']>, options: RuleOptions, now: Date, host: GateHost): Promise<ScanPart> {
  const shown = s.stagedFrom ?? s.path;
  host.info(`Scanning ${s.stagedFrom ? `the staged files of ${s.stagedFrom}` : s.path}${s.include.length ? ` (include ${s.include.join(', ')})` : ''}${s.exclude.length ? ` (exclude ${s.exclude.join(', ')})` : ''}.`);
  const plugins = defaultPlugins();
  // With policy options, the template check must judge with them, as the live audit does. Worker threads cannot
  // rebuild such a handler, so the scanner runs it on this thread with the JSON bytes the workers send back; without
  // options the default handler, loadable in the workers, judges the same way and costs no transfer.
  const templates = Object.keys(options).length > 0 ? createArmTemplateHandler({ options, now: () => now }) : undefined;
  const result = await scanTree({
    root: s.path,
    include: s.include.length ? s.include : undefined,
    exclude: s.exclude,
    scanModels: s.scanModels,
    gitMode: s.stagedFrom ? 'walk' : undefined,
    detectors: plugins.detectors,
    analyzers: s.scanModels ? plugins.analyzers : [],
    textHandlers: templates ? [templates, ...plugins.textHandlers.filter((h) => h.id !== templates.id)] : plugins.textHandlers,
  });
  let findings = result.findings;
  let known: Finding[] = [];
  const warnings = [...result.warnings];
  if (s.baselineFile) {
    const split = applyBaseline(findings, loadBaseline(s.baselineFile));
    findings = split.new;
    known = split.known;
    // A scan of the staged files alone meets only their findings; the others are not gone.
    if (split.stale.length && !s.stagedFrom) warnings.push(`${split.stale.length} entries of the baseline ${relative(shown, s.baselineFile) || s.baselineFile} match no finding any more; regenerate it to drop them.`);
  }
  const mb = result.stats.bytes / 1e6;
  host.info(`Scanned ${result.stats.files} files (${mb.toFixed(1)} MB) in ${(result.stats.ms / 1000).toFixed(1)} s: ${findings.length} new findings${known.length ? `, ${known.length} known from the baseline` : ''}.`);
  return { root: shown, findings, known, rules: result.rules, warnings, files: result.stats.files, bytes: result.stats.bytes, ms: result.stats.ms };
}
