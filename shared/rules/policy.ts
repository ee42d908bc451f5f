/**
 * The policy file (`.mlops-gates.yml`): which rules run and at what severity, the failure threshold, options
 * for rules, and waivers. Loading is the only I/O here; everything else is pure and takes `now` explicitly.
 *
 * Threshold rule: the effective threshold is the stricter of the pipeline input and the policy file, so a
 * repository cannot relax a pipeline's gate and a pipeline cannot relax a repository's policy.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { LineCounter, isMap, isScalar, isSeq, parseDocument, type Document } from 'yaml';
import policySchema from './policy.schema.json';
import { SEVERITIES, severityRank, type Finding, type Rule, type RuleMeta, type RuleOptions, type Severity } from './types';
import { applyWaivers, describeWaiver, latestExpiry, parseDay, type Waiver } from './waivers';

export type { Waiver } from './waivers';

export const THRESHOLDS = ['critical', 'high', 'medium', 'low', 'none'] as const;
/** Severity at or above which an active finding fails the gate; `none` never fails on findings. */
export type Threshold = (typeof THRESHOLDS)[number];
/** Used when neither the pipeline input nor the policy file sets a threshold. */
export const DEFAULT_THRESHOLD: Threshold = 'high';
export const DEFAULT_WARN_BEFORE_EXPIRY_DAYS = 14;

export interface RuleSettings {
  enabled?: boolean;
  severity?: Severity;
}

export interface Policy {
  version: 1;
  /** Undefined when the file does not set one: the pipeline input alone decides. */
  failOnSeverity?: Threshold;
  rules: Record<string, RuleSettings>;
  options: RuleOptions;
  waivers: Waiver[];
  warnBeforeExpiryDays: number;
  /** The file the policy came from; undefined for the default policy. `sha256` is over the raw bytes. */
  source?: { path: string; sha256: string };
}

export interface PolicyOutcome {
  /** Findings that count, worst first. */
  active: Finding[];
  /** Findings hidden by a waiver in force, each carrying `waiver`. */
  waived: Finding[];
  warnings: string[];
  threshold: Threshold;
  verdict: 'passed' | 'failed';
  /** Active findings per severity. */
  counts: Record<Severity, number>;
}

export interface PolicyIssue {
  line?: number;
  column?: number;
  /** Dotted path of the offending key, e.g. `waivers[0].expires`; undefined for whole-file problems. */
  key?: string;
  problem: string;
  fix: string;
}

/** A policy file that cannot be used. The message names the file, position, key and fix of every problem. */
export class PolicyError extends Error {
  constructor(readonly file: string, readonly issues: PolicyIssue[]) {
    super(formatIssues(file, issues));
    this.name = 'PolicyError';
  }
}

function formatIssues(file: string, issues: PolicyIssue[]): string {
  const lines = issues.map((i) => {
    const at = i.line ? `${file}:${i.line}:${i.column ?? 1}` : file;
    return `  ${at}: ${i.key ? `${i.key}: ` : ''}${i.problem}. Fix: ${i.fix}`;
  });
  const head = issues.length === 1 ? `Policy file ${file} cannot be used:` : `Policy file ${file} cannot be used (${issues.length} problems):`;
  return [head, ...lines].join('\n');
}

export function isThreshold(s: unknown): s is Threshold {
  return typeof s === 'string' && (THRESHOLDS as readonly string[]).includes(s);
}

export function defaultPolicy(): Policy {
  return { version: 1, rules: {}, options: {}, waivers: [], warnBeforeExpiryDays: DEFAULT_WARN_BEFORE_EXPIRY_DAYS };
}

/** Lower is stricter; `none` fails on nothing so it is the most lenient. */
function thresholdRank(t: Threshold): number {
  return t === 'none' ? Number.POSITIVE_INFINITY : severityRank(t);
}

/** The stricter of the two: neither a pipeline input nor a policy file can relax the other. */
export function effectiveThreshold(inputThreshold: Threshold | undefined, policyThreshold: Threshold | undefined): Threshold {
  if (!inputThreshold) return policyThreshold ?? DEFAULT_THRESHOLD;
  if (!policyThreshold) return inputThreshold;
  return thresholdRank(policyThreshold) < thresholdRank(inputThreshold) ? policyThreshold : inputThreshold;
}

export function failsAt(severity: Severity, threshold: Threshold): boolean {
  return threshold !== 'none' && severityRank(severity) >= severityRank(threshold);
}

/**
 * The rules to run: disabled ones dropped, severity overrides applied to copies (prototype kept, so rules
 * written as classes keep their methods). The inputs are not mutated.
 */
export function selectRules(allRules: readonly Rule[], policy: Policy): Rule[] {
  return allRules
    .filter((r) => policy.rules[r.id]?.enabled !== false)
    .map((r) => {
      const severity = policy.rules[r.id]?.severity;
      if (!severity || severity === r.severity) return r;
      return Object.assign(Object.create(Object.getPrototypeOf(r)) as Rule, r, { severity });
    });
}

/**
 * A sorted copy, worst first, then by rule, resource (ignoring case) and fingerprint, so reports and digests do
 * not depend on input order. Each finding's keys are computed once rather than per comparison.
 */
export function sortFindings(list: readonly Finding[]): Finding[] {
  const keyed = list.map((f) => ({ f, rank: severityRank(f.severity), resource: f.resourceId.toLowerCase() }));
  keyed.sort((a, b) => b.rank - a.rank || cmp(a.f.ruleId, b.f.ruleId) || cmp(a.resource, b.resource) || cmp(a.f.fingerprint, b.f.fingerprint));
  return keyed.map((k) => k.f);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function emptyCounts(): Record<Severity, number> {
  return Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
}

/**
 * Applies the policy to the findings of `rules` (the rules that ran: from `selectRules`, and the content rules of a scan): severity overrides
 * (which also beat a severity the rule chose per case), waivers, threshold and verdict.
 * Waivers for rules this gate did not run are ignored, because one policy file can serve several gates;
 * a waiver for a rule the policy disables is reported, since it can never apply.
 */
export function applyPolicy(
  rules: readonly Pick<RuleMeta, 'id'>[],
  evaluation: readonly Finding[] | { findings: readonly Finding[] },
  policy: Policy,
  now: Date,
  inputThreshold?: Threshold,
): PolicyOutcome {
  const findings = 'findings' in evaluation ? evaluation.findings : evaluation;
  const ran = new Set(rules.map((r) => r.id));
  const adjusted = findings
    .filter((f) => policy.rules[f.ruleId]?.enabled !== false)
    .map((f) => {
      const severity = policy.rules[f.ruleId]?.severity;
      return severity && severity !== f.severity ? { ...f, severity } : f;
    });
  const relevant = policy.waivers.filter((w) => ran.has(w.rule));
  const split = applyWaivers(adjusted, relevant, now, policy.warnBeforeExpiryDays);
  const warnings = [...split.warnings];
  for (const w of policy.waivers) {
    if (policy.rules[w.rule]?.enabled === false) {
      warnings.push(`${describeWaiver(w)} has no effect: the policy disables ${w.rule}. Remove the waiver, or re-enable the rule.`);
    }
  }
  const threshold = effectiveThreshold(inputThreshold, policy.failOnSeverity);
  const active = sortFindings(split.active);
  const counts = emptyCounts();
  for (const f of active) counts[f.severity]++;
  return {
    active,
    waived: sortFindings(split.waived),
    warnings,
    threshold,
    verdict: active.some((f) => failsAt(f.severity, threshold)) ? 'failed' : 'passed',
    counts,
  };
}

// ---------------------------------------------------------------- loading and validation

export interface LoadOptions {
  /** When true, a missing file yields the default policy (the conventional path that a repo may not have). */
  optional?: boolean;
  /** Reference date for the one-year cap on waiver expiry. Defaults to the current time. */
  now?: Date;
}

/**
 * Reads and validates a policy file. `path` undefined or empty: the default policy. A missing file is an error
 * unless `optional` (an explicitly configured path that does not exist is a mistake worth failing on).
 */
export function loadPolicy(path: string | undefined, knownRuleIds: readonly string[], opts: LoadOptions = {}): Policy {
  if (!path) return defaultPolicy();
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && opts.optional) return defaultPolicy();
    throw new PolicyError(path, [readIssue(code, (err as Error).message)]);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new PolicyError(path, [{ problem: 'the file is not valid UTF-8 text', fix: 'save it as UTF-8' }]);
  }
  const policy = parsePolicy(text, path, knownRuleIds, opts.now);
  policy.source = { path, sha256: createHash('sha256').update(bytes).digest('hex') };
  return policy;
}

function readIssue(code: string | undefined, message: string): PolicyIssue {
  switch (code) {
    case 'ENOENT':
      return { problem: 'the file does not exist', fix: 'create it, correct the path, or leave the policy file input empty to use the defaults' };
    case 'EISDIR':
      return { problem: 'the path is a directory', fix: 'point to the .mlops-gates.yml file itself' };
    case 'EACCES':
    case 'EPERM':
      return { problem: 'the file cannot be read (permission denied)', fix: 'make it readable by the agent user' };
    default:
      return { problem: `the file cannot be read (${code ?? message})`, fix: 'check the path and the file permissions' };
  }
}

// Compiled on first use: most runs have no policy file, and compiling costs more start-up than anything else here.
let compiled: ValidateFunction | undefined;
function validatePolicy(data: unknown): boolean {
  compiled ??= new Ajv({ allErrors: true, verbose: true, strict: true }).compile(policySchema);
  const ok = compiled(data) as boolean;
  validatePolicy.errors = compiled.errors;
  return ok;
}
validatePolicy.errors = undefined as ValidateFunction['errors'];

/** Parses and validates policy text. `sourceName` is used in messages only. */
export function parsePolicy(text: string, sourceName: string, knownRuleIds: readonly string[], now: Date = new Date()): Policy {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true, version: '1.2' });
  const pos = (offset: number) => {
    const p = lc.linePos(offset);
    return { line: p.line, column: p.col };
  };
  if (doc.errors.length > 0) {
    throw new PolicyError(
      sourceName,
      doc.errors.map((e) => ({
        ...pos(e.pos[0]),
        problem: e.code === 'DUPLICATE_KEY' ? `key ${JSON.stringify(keyAt(text, e.pos[0]))} appears twice` : `YAML syntax: ${e.message.split('\n')[0]}`,
        fix: e.code === 'DUPLICATE_KEY' ? 'keep only one of the duplicated keys' : 'correct the YAML (indent with spaces; quote values that contain ": " or " #")',
      })),
    );
  }
  const data: unknown = doc.toJS({ maxAliasCount: 100 });
  if (data === null || data === undefined) {
    throw new PolicyError(sourceName, [{ problem: 'the file is empty', fix: 'start it with `version: 1`, or remove it to use the defaults' }]);
  }

  const locate = (segments: string[], atKey: boolean) => locateNode(doc, segments, atKey, pos);
  const issues: PolicyIssue[] = [];
  if (!validatePolicy(data)) {
    for (const e of validatePolicy.errors ?? []) issues.push(schemaIssue(e, locate));
  }
  issues.push(...semanticIssues(data, knownRuleIds, now, locate));
  if (issues.length > 0) throw new PolicyError(sourceName, sortIssues(dedupe(issues)));
  return toPolicy(data as RawPolicy, doc, pos);
}

/** The key written at `offset` (yaml reports a duplicate key by the position of its first character). */
function keyAt(text: string, offset: number): string {
  return (/^[^:\n]*/.exec(text.slice(offset))?.[0] ?? '').trim().replace(/^["']|["']$/g, '');
}

interface RawPolicy {
  version: 1;
  failOnSeverity?: Threshold;
  rules?: Record<string, RuleSettings>;
  options?: RuleOptions;
  waivers?: Array<Omit<Waiver, 'line'>>;
  warnBeforeExpiryDays?: number;
}

function toPolicy(raw: RawPolicy, doc: Document, pos: (o: number) => { line: number }): Policy {
  const waiverSeq = doc.get('waivers', true);
  return {
    version: 1,
    ...(raw.failOnSeverity ? { failOnSeverity: raw.failOnSeverity } : {}),
    rules: { ...(raw.rules ?? {}) },
    options: { ...(raw.options ?? {}) },
    waivers: (raw.waivers ?? []).map((w, i) => {
      const node = isSeq(waiverSeq) ? (waiverSeq.items[i] as { range?: [number, number, number] } | undefined) : undefined;
      return { ...w, line: node?.range ? pos(node.range[0]).line : undefined };
    }),
    warnBeforeExpiryDays: raw.warnBeforeExpiryDays ?? DEFAULT_WARN_BEFORE_EXPIRY_DAYS,
  };
}

type Locate = (segments: string[], atKey: boolean) => { line?: number; column?: number };

/** Finds the YAML node at a data path; `atKey` points at the key of the last segment rather than its value. */
function locateNode(doc: Document, segments: string[], atKey: boolean, pos: (o: number) => { line: number; column: number }) {
  let node: unknown = doc.contents;
  let here: { line?: number; column?: number } = {};
  const mark = (n: unknown) => {
    const r = (n as { range?: [number, number, number] } | null)?.range;
    if (r) here = pos(r[0]);
  };
  mark(node);
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i];
    const last = i === segments.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => String(isScalar(p.key) ? p.key.value : p.key) === seg);
      if (!pair) break;
      if (last && atKey) { mark(pair.key); break; }
      mark(pair.key);
      node = pair.value;
      if (node) mark(node);
    } else if (isSeq(node)) {
      node = node.items[Number(seg)];
      if (!node) break;
      mark(node);
    } else break;
  }
  return here;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function keyPath(segments: string[]): string | undefined {
  let out = '';
  for (const s of segments) out += /^\d+$/.test(s) ? `[${s}]` : out ? `.${s}` : s;
  return out || undefined;
}

function pointerSegments(pointer: string): string[] {
  return pointer === '' ? [] : pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** Turns one JSON Schema error into a message that says where, what and how to fix it. */
function schemaIssue(e: ErrorObject, locate: Locate): PolicyIssue {
  const segs = pointerSegments(e.instancePath);
  const parent = e.parentSchema as { properties?: Record<string, { description?: string }> } | undefined;
  const shown = JSON.stringify(e.data);
  const at = (s: string[], atKey = false) => ({ ...locate(s, atKey), key: keyPath(s) });
  switch (e.keyword) {
    case 'additionalProperties': {
      const name = String((e.params as { additionalProperty: string }).additionalProperty);
      const allowed = Object.keys(parent?.properties ?? {});
      const near = closest(name, allowed);
      return {
        ...at([...segs, name], true),
        problem: `unknown key "${name}"`,
        fix: near.length ? `did you mean ${near.join(' or ')}? Allowed keys here: ${allowed.join(', ')}` : `allowed keys here: ${allowed.join(', ')}`,
      };
    }
    case 'required': {
      const name = String((e.params as { missingProperty: string }).missingProperty);
      const hint = parent?.properties?.[name]?.description;
      return { ...at(segs), key: keyPath([...segs, name]), problem: 'required key is missing', fix: `add \`${name}:\`${hint ? ` (${hint})` : ''}` };
    }
    case 'const':
      return { ...at(segs), problem: `${shown} is not supported`, fix: `set it to ${JSON.stringify((e.params as { allowedValue: unknown }).allowedValue)}` };
    case 'enum':
      return { ...at(segs), problem: `${shown} is not an allowed value`, fix: `use one of ${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')}` };
    case 'type': {
      const want = String((e.params as { type: string }).type);
      return { ...at(segs), problem: `expected ${articled(want)}, found ${shown}`, fix: fixForType(segs, want, e.data) };
    }
    case 'pattern':
      return { ...at(segs), problem: `${shown} has the wrong form`, fix: fixForPattern(segs) };
    case 'minimum':
    case 'maximum':
      return { ...at(segs), problem: `${shown} is out of range`, fix: `use a value ${e.keyword === 'minimum' ? '>=' : '<='} ${(e.params as { limit: number }).limit}` };
    case 'minLength':
      return { ...at(segs), problem: `${shown} is too short`, fix: `write at least ${(e.params as { limit: number }).limit} characters` };
    case 'minProperties':
      return { ...at(segs), problem: 'the entry sets nothing', fix: 'set `enabled` or `severity`, or remove the entry' };
    case 'uniqueItems':
      return { ...at(segs), problem: 'the list has duplicates', fix: 'list each value once' };
    default:
      return { ...at(segs), problem: e.message ?? 'is invalid', fix: 'see shared/rules/policy.schema.json for the expected format' };
  }
}

function articled(type: string): string {
  return (/^[aeiou]/.test(type) ? 'an ' : 'a ') + type;
}

function fixForType(segs: string[], want: string, got: unknown): string {
  const last = segs[segs.length - 1];
  if (last === 'expires') return 'quote the date as "YYYY-MM-DD"';
  if (segs.length === 0) return 'the file must be a YAML mapping that starts with `version: 1`';
  if (typeof got === 'string' && ['integer', 'number', 'boolean'].includes(want)) return 'write the value without quotes';
  if (want === 'string') return 'quote the value';
  if (want === 'array') return 'write a list, e.g. [a, b]';
  if (want === 'object') return 'write a mapping of keys to values';
  return 'see shared/rules/policy.schema.json for the expected format';
}

function fixForPattern(segs: string[]): string {
  const last = segs[segs.length - 1];
  if (last === 'expires') return 'write the last valid day as YYYY-MM-DD';
  if (last === 'resource') return 'the pattern matches the whole ARM id, so start it with "/subscriptions/" or with "*" (e.g. "*/datastores/legacy*"); for files, use `path:` instead';
  if (last === 'path') return 'write the path relative to the scanned folder, without a leading "/" (e.g. notebooks/**/*.ipynb)';
  if (last === 'fingerprint') return 'copy the 32 hex digits of the finding\'s fingerprint from the summary, the SARIF result or the baseline file';
  if (segs[segs.length - 2] === 'allowedHosts') return 'write a host suffix such as core.windows.net (no scheme, port or path)';
  return 'see shared/rules/policy.schema.json for the expected format';
}

/** Checks the schema cannot express: rule ids against the catalog, real calendar dates, the one-year waiver cap. */
function semanticIssues(data: unknown, known: readonly string[], now: Date, locate: Locate): PolicyIssue[] {
  const issues: PolicyIssue[] = [];
  // Runs even when the schema failed, so one pass reports every problem; hence the defensive shape checks.
  if (!isRecord(data)) return issues;
  const knownSet = new Set(known);
  const unknownId = (id: string, segs: string[], atKey: boolean): PolicyIssue => {
    const near = closest(id, known);
    return {
      ...locate(segs, atKey),
      key: keyPath(segs),
      problem: `unknown rule id "${id}"`,
      fix: near.length ? `use a rule id from the catalog; closest known: ${near.join(', ')}` : 'use a rule id from the rules catalog (docs list every AML-* id)',
    };
  };
  for (const id of isRecord(data.rules) ? Object.keys(data.rules) : []) {
    if (!knownSet.has(id)) issues.push(unknownId(id, ['rules', id], true));
  }
  const cap = latestExpiry(now);
  (Array.isArray(data.waivers) ? data.waivers : []).forEach((w: unknown, i) => {
    if (!isRecord(w)) return;
    const base = ['waivers', String(i)];
    if (typeof w.rule === 'string' && w.rule && !knownSet.has(w.rule)) issues.push(unknownId(w.rule, [...base, 'rule'], false));
    const scopes = (['resource', 'path', 'fingerprint'] as const).filter((k) => w[k] !== undefined);
    if (scopes.length > 1) {
      issues.push({
        ...locate([...base, scopes[1]], true),
        key: keyPath([...base, scopes[1]]),
        problem: `a waiver takes one of resource, path and fingerprint, this one sets ${scopes.join(' and ')}`,
        fix: 'keep the narrowest one (fingerprint: one finding; path: files; resource: resource ids), or split it into several waivers',
      });
    }
    if (typeof w.expires !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(w.expires)) return; // the schema reports the form
    const day = parseDay(w.expires);
    const where = { ...locate([...base, 'expires'], false), key: keyPath([...base, 'expires']) };
    if (!day) {
      issues.push({ ...where, problem: `"${w.expires}" is not a calendar date`, fix: 'write an existing day as YYYY-MM-DD' });
    } else if (day > cap) {
      issues.push({
        ...where,
        problem: `"${w.expires}" is more than one year ahead (latest allowed today: ${cap.toISOString().slice(0, 10)})`,
        fix: 'choose an earlier date and renew the waiver when it comes due; to turn a rule off for good use `rules.<id>.enabled: false`',
      });
    }
  });
  return issues;
}

function sortIssues(issues: PolicyIssue[]): PolicyIssue[] {
  return issues.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
}

function dedupe(issues: PolicyIssue[]): PolicyIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const k = `${i.key}|${i.problem}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Up to `max` candidates close to `word` (edit distance, case-insensitive), best first. */
export function closest(word: string, candidates: readonly string[], max = 3): string[] {
  const w = word.toLowerCase();
  const limit = Math.max(2, Math.floor(w.length / 3));
  return candidates
    .map((c) => {
      const lc = c.toLowerCase();
      // A fragment like "WS-010" should still find "AML-WS-010".
      const d = lc.endsWith(w) || lc.startsWith(w) ? Math.min(1, levenshtein(w, lc)) : levenshtein(w, lc);
      return { c, d };
    })
    .filter((x) => x.d <= limit)
    .sort((a, b) => a.d - b.d || cmp(a.c, b.c))
    .slice(0, max)
    .map((x) => x.c);
}

function levenshtein(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}
