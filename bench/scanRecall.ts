/**
 * Which planted secrets a scanner found, read from its SARIF: a result counts for a planted secret when it names
 * the same file and a line the value spans. Pure apart from reading the SARIF file.
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, relative } from 'node:path';
import type { Planted } from './scanTrees';

export interface SarifHit {
  file: string;
  line: number;
  ruleId: string;
}

/** Paths relative to `treeRoot`, '/' separated, whatever form (absolute, file URI, ./) the tool used. */
export function normalisePath(uri: string, treeRoot: string): string {
  let p = uri.startsWith('file://') ? decodeURIComponent(uri.slice('file://'.length)) : decodeURIComponent(uri);
  if (isAbsolute(p)) p = relative(treeRoot, p);
  return p.replace(/\\/gu, '/').replace(/^(\.\/)+/u, '');
}

export function readSarifHits(file: string, treeRoot: string): SarifHit[] {
  const log = JSON.parse(readFileSync(file, 'utf8')) as { runs?: Array<{ results?: unknown[]; originalUriBaseIds?: Record<string, { uri?: string }> }> };
  const hits: SarifHit[] = [];
  for (const run of log.runs ?? []) {
    for (const r of (run.results ?? []) as Array<{ ruleId?: string; locations?: Array<{ physicalLocation?: { artifactLocation?: { uri?: string; uriBaseId?: string }; region?: { startLine?: number } } }> }>) {
      const loc = r.locations?.[0]?.physicalLocation;
      const uri = loc?.artifactLocation?.uri;
      if (!uri) continue;
      hits.push({ file: normalisePath(uri, treeRoot), line: loc?.region?.startLine ?? 0, ruleId: r.ruleId ?? '' });
    }
  }
  return hits;
}

export const secretKey = (s: Planted) => `${s.file}:${s.line}`;

/** The planted secrets (by secretKey) that some hit covers. */
export function foundSecrets(planted: readonly Planted[], hits: readonly SarifHit[]): Set<string> {
  const byFile = new Map<string, number[]>();
  for (const h of hits) {
    const l = byFile.get(h.file);
    if (l) l.push(h.line);
    else byFile.set(h.file, [h.line]);
  }
  const found = new Set<string>();
  for (const s of planted) {
    const lines = byFile.get(s.file);
    if (lines?.some((l) => l >= s.line && l < s.line + s.lines)) found.add(secretKey(s));
  }
  return found;
}

export interface FamilyCount {
  planted: number;
  found: number;
}

export function perFamily(planted: readonly Planted[], found: ReadonlySet<string>): Record<string, FamilyCount> {
  const out: Record<string, FamilyCount> = {};
  for (const s of planted) {
    const c = (out[s.family] ??= { planted: 0, found: 0 });
    c.planted++;
    if (found.has(secretKey(s))) c.found++;
  }
  return out;
}

/** Files with at least one hit whose path is in `files` (model files, templates). */
export function filesHit(files: readonly string[], hits: readonly SarifHit[], rulePrefix: string): number {
  const hitFiles = new Set(hits.filter((h) => h.ruleId.startsWith(rulePrefix)).map((h) => h.file));
  return files.filter((f) => hitFiles.has(f)).length;
}
