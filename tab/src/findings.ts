/**
 * Findings as the table shows them, from the SARIF logs the gates attach, and the pure filter and sort the
 * table runs on every keystroke. 10,000 rows must filter and sort well under 100 ms, so each row carries its
 * lower-cased search text and sort keys once, and comparisons are plain string/number compares (no
 * localeCompare, which alone costs ~100 ms over 10,000 rows).
 */
export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

export interface Reference {
  title: string;
  url: string;
}

export interface FindingRow {
  /** Position in the merged list: the final tie-break, so sorting is stable and deterministic. */
  id: number;
  gate: string;
  severity: Severity;
  ruleId: string;
  ruleTitle: string;
  /** File:line:column, or the ARM id of the resource. */
  location: string;
  message: string;
  waived: boolean;
  waiver?: { reason: string; owner: string; expires: string };
  baseline?: string;
  remediation: string;
  rationale: string;
  references: Reference[];
  /** Redacted preview of a secret finding (never the value). */
  preview?: string;
  /** Lower-cased text the filter box matches. */
  search: string;
  /** Position of this row's value among all rows' values, per text column (assignRanks): sorting compares numbers. */
  rank?: { ruleId: number; location: number; gate: number; message: number };
}

export type SortKey = 'severity' | 'ruleId' | 'location' | 'waived' | 'gate' | 'message';
export type WaiverFilter = 'all' | 'active' | 'waived';

export interface FilterSpec {
  text: string;
  severity: Severity | 'all';
  waiver: WaiverFilter;
  gate: string | 'all';
}

export interface SortSpec {
  key: SortKey;
  descending: boolean;
}

/** Higher is worse. */
export function severityRank(s: Severity): number {
  return SEVERITIES.length - SEVERITIES.indexOf(s);
}

export function isSeverity(v: unknown): v is Severity {
  return typeof v === 'string' && (SEVERITIES as readonly string[]).includes(v);
}

export function filterRows(rows: readonly FindingRow[], f: FilterSpec): FindingRow[] {
  const text = f.text.trim().toLowerCase();
  // Several words narrow the match: each must appear somewhere in the row.
  const words = text ? text.split(/\s+/) : [];
  const out: FindingRow[] = [];
  for (const r of rows) {
    if (f.severity !== 'all' && r.severity !== f.severity) continue;
    if (f.waiver === 'active' && r.waived) continue;
    if (f.waiver === 'waived' && !r.waived) continue;
    if (f.gate !== 'all' && r.gate !== f.gate) continue;
    let ok = true;
    for (const w of words) if (!r.search.includes(w)) { ok = false; break; }
    if (ok) out.push(r);
  }
  return out;
}

/**
 * Ranks every text column once, when the findings arrive: comparing long strings with shared prefixes (ARM
 * ids) is what made a 10,000-row sort by location take ~100 ms; comparing their ranks takes a few.
 */
export function assignRanks(rows: FindingRow[]): void {
  const cols = ['ruleId', 'location', 'gate', 'message'] as const;
  const text = (r: FindingRow, c: (typeof cols)[number]) => (c === 'location' || c === 'message' ? r[c].toLowerCase() : r[c]);
  const ranks = rows.map(() => ({ ruleId: 0, location: 0, gate: 0, message: 0 }));
  for (const c of cols) {
    const values = [...new Set(rows.map((r) => text(r, c)))].sort();
    const at = new Map(values.map((v, i) => [v, i]));
    rows.forEach((r, i) => (ranks[i][c] = at.get(text(r, c))!));
  }
  rows.forEach((r, i) => (r.rank = ranks[i]));
}

function keyOf(r: FindingRow, k: SortKey): string | number {
  if (r.rank && k !== 'severity' && k !== 'waived') return r.rank[k];
  switch (k) {
    case 'severity': return severityRank(r.severity);
    case 'waived': return r.waived ? 1 : 0;
    case 'ruleId': return r.ruleId;
    case 'location': return r.location.toLowerCase();
    case 'gate': return r.gate;
    case 'message': return r.message.toLowerCase();
  }
}

/**
 * A sorted copy. Severity sorts worst first when ascending is asked for the first time (descending=false means
 * "natural": critical → info); other columns sort A → Z. Ties fall back to severity, then rule, then position.
 */
export function sortRows(rows: readonly FindingRow[], s: SortSpec): FindingRow[] {
  const dir = s.descending ? -1 : 1;
  // Decorate once: reading keys inside the comparator would redo lower-casing n·log n times.
  const keyed = rows.map((r) => ({ r, k: keyOf(r, s.key) }));
  const natural = s.key === 'severity' ? -1 : 1; // severity: worst first is the natural order
  keyed.sort((a, b) => {
    if (a.k !== b.k) return (a.k < b.k ? -1 : 1) * dir * natural;
    const sa = severityRank(a.r.severity), sb = severityRank(b.r.severity);
    if (sa !== sb) return sb - sa;
    const ra = a.r.rank?.ruleId ?? a.r.ruleId, rb = b.r.rank?.ruleId ?? b.r.ruleId;
    if (ra !== rb) return ra < rb ? -1 : 1;
    return a.r.id - b.r.id;
  });
  return keyed.map((x) => x.r);
}

/** Active (not waived) findings per severity. */
export function countBySeverity(rows: readonly FindingRow[]): Record<Severity, number> {
  const c = { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
  for (const r of rows) if (!r.waived) c[r.severity]++;
  return c;
}
