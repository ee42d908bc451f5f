/**
 * Detector matches and model issues turned into platform Findings: rule metadata, a redacted preview,
 * a position and a fingerprint. Pure. The secret value enters here and leaves only as a hash and a few
 * leading characters.
 */
import { severityRank, type FileLocation, type Finding, type RuleMeta, type Severity } from '../rules/types';
import type { Position } from './lineMap';
import { modelFingerprint, previewOf, secretFingerprint, valueHash } from './redact';
import type { ModelIssue, SecretMatch } from './types';

/** A match placed in the file: offsets are file offsets (bytes; UTF-16 units for UTF-16 files). */
export interface PlacedMatch {
  ruleId: string;
  severity?: Severity;
  confidence: SecretMatch['confidence'];
  message: string;
  start: number;
  end: number;
  /** The secret as text. Used for the hash and the preview, then dropped. */
  value: string;
  cell?: FileLocation['cell'];
  /** Order of the detector in the configured list: the tie-breaker between equally good matches. */
  detector: number;
}

const CONFIDENCE = { verified: 3, context: 2, heuristic: 1 } as const;

/** Better first: confidence, then severity, then the narrower span (more specific), then detector order. */
function better(a: PlacedMatch, b: PlacedMatch, meta: (id: string) => RuleMeta | undefined): number {
  const sev = (m: PlacedMatch) => severityRank(m.severity ?? meta(m.ruleId)?.severity ?? 'info');
  return (
    CONFIDENCE[b.confidence] - CONFIDENCE[a.confidence] ||
    sev(b) - sev(a) ||
    a.end - a.start - (b.end - b.start) ||
    a.detector - b.detector
  );
}

/**
 * One match per place: matches whose spans overlap are the same secret seen by two detectors (a storage key
 * and the connection string around it), so only the best survives. Returned in file order.
 */
export function dedupeMatches(matches: readonly PlacedMatch[], meta: (id: string) => RuleMeta | undefined): PlacedMatch[] {
  const ranked = [...matches].sort((a, b) => better(a, b, meta));
  // Kept spans never overlap, so they stay sorted by start and by end alike: binary search for a neighbour.
  const kept: PlacedMatch[] = [];
  for (const m of ranked) {
    let lo = 0;
    let hi = kept.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (kept[mid].end <= m.start) lo = mid + 1;
      else hi = mid;
    }
    if (lo < kept.length && kept[lo].start < Math.max(m.end, m.start + 1)) continue;
    kept.splice(lo, 0, m);
  }
  return kept;
}

/**
 * Findings for one file's matches (deduplicated, in file order). `positions` gives start and end positions
 * per match: positions[2k] is the start of match k, positions[2k + 1] its end (exclusive).
 */
export function secretFindings(file: string, matches: readonly PlacedMatch[], positions: readonly Position[], meta: (id: string) => RuleMeta | undefined): Finding[] {
  const seen = new Map<string, number>();
  return matches.map((m, k) => {
    const rule = meta(m.ruleId);
    const hash = valueHash(m.value);
    const key = `${m.ruleId}|${hash}`;
    const occurrence = seen.get(key) ?? 0;
    seen.set(key, occurrence + 1);
    const start = positions[2 * k];
    const end = positions[2 * k + 1];
    const location: FileLocation = {
      file,
      line: start.line,
      column: start.column,
      endLine: end.line,
      endColumn: end.column,
      ...(m.cell ? { cell: m.cell } : {}),
    };
    return {
      ruleId: m.ruleId,
      title: rule?.title ?? m.ruleId,
      severity: m.severity ?? rule?.severity ?? 'high',
      resourceKind: 'file',
      resourceId: file,
      message: m.message,
      location,
      preview: previewOf(m.value, hash),
      fingerprint: secretFingerprint(m.ruleId, file, hash, occurrence),
    };
  });
}

/** Findings for a model file's issues; the same (rule, key) reported twice is one finding. */
export function modelFindings(file: string, issues: readonly ModelIssue[], meta: (id: string) => RuleMeta | undefined): Finding[] {
  const seen = new Set<string>();
  const out: Finding[] = [];
  for (const issue of issues) {
    const id = `${issue.ruleId}|${issue.key}`;
    if (seen.has(id)) continue;
    seen.add(id);
    const rule = meta(issue.ruleId);
    out.push({
      ruleId: issue.ruleId,
      title: rule?.title ?? issue.ruleId,
      severity: issue.severity ?? rule?.severity ?? 'high',
      resourceKind: 'file',
      resourceId: file,
      message: issue.message,
      location: { file, line: 1, column: 1, ...(issue.byteOffset !== undefined ? { byteOffset: issue.byteOffset } : {}) },
      fingerprint: modelFingerprint(issue.ruleId, file, issue.key),
    });
  }
  return out;
}
