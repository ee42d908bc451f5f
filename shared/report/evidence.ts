/**
 * The evidence record: what a gate decided, about what, under which policy and in which pipeline run.
 * Later steps sign it and chain records together, so its shape is versioned (`schema`) and its serialized
 * form is canonical: the same run facts always give the same bytes and the same digest, whatever order
 * findings, targets or inputs arrived in. Messages are left out on purpose: they are prose that may change
 * between versions, while rule id, resource, fingerprint and severity are the facts.
 */
import type { PolicyOutcome, Threshold } from '../rules/policy';
import type { Severity } from '../rules/types';
import { canonicalJson, sha256Canonical } from './canonicalJson';

export const EVIDENCE_SCHEMA = 'mlops-gates/evidence@1';

export interface EvidenceFinding {
  ruleId: string;
  severity: Severity;
  resourceId: string;
  fingerprint: string;
  waived: boolean;
}

export type InputValue = string | number | boolean | string[];

export interface EvidenceRecord {
  schema: typeof EVIDENCE_SCHEMA;
  gate: string;
  gateVersion: string;
  verdict: 'passed' | 'failed';
  threshold: Threshold;
  /** Active (not waived) findings per severity. */
  counts: Record<Severity, number>;
  /** Active and waived findings, sorted by rule id, resource id (case-insensitive), fingerprint. */
  findings: EvidenceFinding[];
  /** Task inputs that are not secret, by input name. */
  inputs: Record<string, InputValue>;
  /** ARM ids the gate looked at, sorted and unique. */
  targets: string[];
  startedAt: string;
  finishedAt: string;
  pipeline: { runUrl?: string; definition?: string; runId?: string; attempt?: number };
  source: { repository?: string; commit?: string; branch?: string };
  policy: { path?: string; sha256?: string };
  /** Why the gate could not judge (it then fails closed); absent when the audit ran. */
  error?: string;
}

export interface EvidenceInput {
  gate: string;
  gateVersion: string;
  outcome: PolicyOutcome;
  /** Task inputs; values that are undefined or whose names look secret are dropped. */
  inputs?: Record<string, InputValue | undefined>;
  /** Input names to drop besides the ones `looksSecret` catches. */
  secretInputNames?: readonly string[];
  targets: readonly string[];
  startedAt: Date | string;
  finishedAt: Date | string;
  pipeline?: { runUrl?: string; definition?: string; runId?: string | number; attempt?: number };
  source?: EvidenceRecord['source'];
  policy?: EvidenceRecord['policy'];
  error?: string;
}

/** Names that usually hold credentials. A second line of defence: callers should pass non-secret inputs only. */
export function looksSecret(name: string): boolean {
  return /secret|password|passwd|token|credential|certificate|key$|apikey|api_key|accesskey|connectionstring|privatekey|sas/i.test(name);
}

function iso(t: Date | string): string {
  return (typeof t === 'string' ? new Date(t) : t).toISOString();
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Keeps only defined members, so optional fields are absent rather than undefined or null. */
function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== '')) as T;
}

export function buildEvidence(input: EvidenceInput): EvidenceRecord {
  const drop = new Set(input.secretInputNames ?? []);
  const inputs: Record<string, InputValue> = {};
  for (const [name, value] of Object.entries(input.inputs ?? {})) {
    if (value === undefined || drop.has(name) || looksSecret(name)) continue;
    inputs[name] = Array.isArray(value) ? [...value] : value;
  }
  const findings: EvidenceFinding[] = [
    ...input.outcome.active.map((f) => ({ f, waived: false })),
    ...input.outcome.waived.map((f) => ({ f, waived: true })),
  ]
    .map(({ f, waived }) => ({ ruleId: f.ruleId, severity: f.severity, resourceId: f.resourceId, fingerprint: f.fingerprint, waived }))
    .sort((a, b) => cmp(a.ruleId, b.ruleId) || cmp(a.resourceId.toLowerCase(), b.resourceId.toLowerCase()) || cmp(a.fingerprint, b.fingerprint));
  const p = input.pipeline ?? {};
  return {
    schema: EVIDENCE_SCHEMA,
    gate: input.gate,
    gateVersion: input.gateVersion,
    verdict: input.outcome.verdict,
    threshold: input.outcome.threshold,
    counts: { ...input.outcome.counts },
    findings,
    inputs,
    targets: [...new Set(input.targets)].sort(cmp),
    startedAt: iso(input.startedAt),
    finishedAt: iso(input.finishedAt),
    pipeline: defined({ runUrl: p.runUrl, definition: p.definition, runId: p.runId === undefined ? undefined : String(p.runId), attempt: p.attempt }),
    source: defined({ ...(input.source ?? {}) }),
    policy: defined({ ...(input.policy ?? {}) }),
    ...(input.error ? { error: input.error } : {}),
  };
}

/** The bytes to store, hash and sign. */
export function serializeEvidence(record: EvidenceRecord): string {
  return canonicalJson(record);
}

/** Lower-case hex SHA-256 over `serializeEvidence(record)`. */
export function digestOf(record: EvidenceRecord): string {
  return sha256Canonical(record);
}
