/**
 * Secrets in one short text held in memory (an environment variable value, a setting), found by the same
 * detectors and prefilter as the repository scan, for callers that are not scanning files: the endpoint rules
 * judge `properties.environmentVariables` with it. Pure.
 *
 * What it returns names the detector and where the match sits, never the matched value: callers put the
 * result into finding messages.
 */
import type { RuleMeta, Severity } from '../rules/types';
import { DetectorSet } from './detect';
import { ALL_DETECTORS, detectorRules, matchSeverity, resolveOverlaps } from './detectors';
import type { SecretMatch } from './types';
import { rememberHits } from './wordPass';

export interface TextSecret {
  /** Detector rule id, e.g. `SEC-AZ-010`. */
  ruleId: string;
  /** Detector title, e.g. "Azure Storage account key". */
  title: string;
  severity: Severity;
  confidence: SecretMatch['confidence'];
  /** The detector's sentence about the match (detectors never put the value in it). */
  message: string;
  /** Offsets of the secret in `text`. */
  start: number;
  end: number;
}

let detectorSet: DetectorSet | undefined;
let ruleMetas: ReadonlyMap<string, RuleMeta> | undefined;

/** Built once: the prefilter automaton over every detector's anchors. */
function set(): DetectorSet {
  detectorSet ??= new DetectorSet(ALL_DETECTORS);
  return detectorSet;
}

function metas(): ReadonlyMap<string, RuleMeta> {
  ruleMetas ??= new Map(detectorRules(ALL_DETECTORS).map((r) => [r.id, r]));
  return ruleMetas;
}

/**
 * Every secret the detectors find in `text`, one per overlapping group (the most confident). `path` is what
 * detectors see as the file name: some decide by its extension whether bare `name=value` assignments count,
 * so pass a name without a code extension (e.g. `environmentVariables/NAME`) for settings.
 * A detector that throws is reported through `warn` and the others still run.
 */
export function findSecretsInText(text: string, path: string, warn: (message: string) => void = () => {}): TextSecret[] {
  if (text.length === 0) return [];
  const s = set();
  const { flags, hits: words } = s.matcher.matchString(text);
  if (!flags.some((f) => f)) return [];
  rememberHits(text, words);
  const hits: SecretMatch[] = s.run(text, path, flags, warn);
  const rules = metas();
  return resolveOverlaps(hits, rules).map((m) => ({
    ruleId: m.ruleId,
    title: rules.get(m.ruleId)?.title ?? m.ruleId,
    severity: matchSeverity(m, rules),
    confidence: m.confidence,
    message: m.message,
    start: m.start,
    end: m.end,
  }));
}
