/**
 * The baseline: fingerprints of findings accepted as they stand when the gate was introduced, so that only
 * new findings fail a build. A JSON file committed to the repository:
 *
 *   { "version": 1, "fingerprints": [ { "fingerprint": "…32 hex…", "ruleId": "SEC-…", "file": "src/x.py" } ] }
 *
 * Matching is by fingerprint alone; rule and file are there for the people reviewing the file (and to list
 * stale entries). It holds no secret material: fingerprints are hashes of hashes.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { Finding } from '../rules/types';

export interface BaselineEntry {
  fingerprint: string;
  ruleId: string;
  file: string;
}

export interface Baseline {
  version: 1;
  fingerprints: BaselineEntry[];
}

export class BaselineError extends Error {
  constructor(readonly file: string, problem: string) {
    super(`Baseline file ${file} cannot be used: ${problem}`);
    this.name = 'BaselineError';
  }
}

const FINGERPRINT = /^[0-9a-f]{16,64}$/;

/** Parses and checks baseline text; `source` names it in errors. */
export function parseBaseline(text: string, source: string): Baseline {
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new BaselineError(source, `not valid JSON (${(err as Error).message.split('\n')[0]}). Fix: regenerate it with the scan's baseline output`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new BaselineError(source, 'expected a JSON object with "version" and "fingerprints"');
  const d = data as Record<string, unknown>;
  if (d.version !== 1) throw new BaselineError(source, `"version" must be 1, found ${JSON.stringify(d.version)}`);
  if (!Array.isArray(d.fingerprints)) throw new BaselineError(source, '"fingerprints" must be a list');
  const fingerprints = d.fingerprints.map((e, i): BaselineEntry => {
    const entry = e as Record<string, unknown> | null;
    const fp = typeof entry?.fingerprint === 'string' ? entry.fingerprint.toLowerCase() : undefined;
    if (!fp || !FINGERPRINT.test(fp)) throw new BaselineError(source, `fingerprints[${i}].fingerprint must be a hex fingerprint, found ${JSON.stringify(entry?.fingerprint)}`);
    return { fingerprint: fp, ruleId: typeof entry?.ruleId === 'string' ? entry.ruleId : '', file: typeof entry?.file === 'string' ? entry.file : '' };
  });
  return { version: 1, fingerprints };
}

/** Reads a baseline. A missing file is an error unless `optional` (then the baseline is empty). */
export function loadBaseline(path: string, opts: { optional?: boolean } = {}): Baseline {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && opts.optional) return { version: 1, fingerprints: [] };
    throw new BaselineError(path, code === 'ENOENT' ? 'the file does not exist. Fix: create it with the scan\'s baseline output, or correct the path' : `the file cannot be read (${code ?? (err as Error).message})`);
  }
  return parseBaseline(text, path);
}

/** The baseline for these findings: one entry per fingerprint, sorted, so the file diffs cleanly. */
export function baselineOf(findings: readonly Finding[]): Baseline {
  const byFp = new Map<string, BaselineEntry>();
  for (const f of findings) {
    const fingerprint = f.fingerprint.toLowerCase();
    if (!byFp.has(fingerprint)) byFp.set(fingerprint, { fingerprint, ruleId: f.ruleId, file: f.location?.file ?? f.resourceId });
  }
  const fingerprints = [...byFp.values()].sort((a, b) => cmp(a.file, b.file) || cmp(a.ruleId, b.ruleId) || cmp(a.fingerprint, b.fingerprint));
  return { version: 1, fingerprints };
}

/** Writes the baseline of `findings` to `path` (via a temporary file, so a crash never leaves half a file). */
export function writeBaseline(path: string, findings: readonly Finding[]): Baseline {
  const baseline = baselineOf(findings);
  const body = `{\n  "version": 1,\n  "fingerprints": [${baseline.fingerprints.map((e) => `\n    ${JSON.stringify(e)}`).join(',')}${baseline.fingerprints.length ? '\n  ' : ''}]\n}\n`;
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, body);
  renameSync(tmp, path);
  return baseline;
}

export interface BaselineSplit {
  /** Not in the baseline: these count. */
  new: Finding[];
  /** In the baseline: reported as known, never failing the build. */
  known: Finding[];
  /** Baseline entries no finding matched any more (fixed, or moved to another file): can be dropped. */
  stale: BaselineEntry[];
}

export function applyBaseline(findings: readonly Finding[], baseline: Baseline): BaselineSplit {
  const entries = new Map(baseline.fingerprints.map((e) => [e.fingerprint.toLowerCase(), e]));
  const matched = new Set<string>();
  const out: BaselineSplit = { new: [], known: [], stale: [] };
  for (const f of findings) {
    const fp = f.fingerprint.toLowerCase();
    if (entries.has(fp)) {
      matched.add(fp);
      out.known.push(f);
    } else out.new.push(f);
  }
  for (const [fp, e] of entries) if (!matched.has(fp)) out.stale.push(e);
  return out;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
