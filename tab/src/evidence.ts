/**
 * What the tab can check about the evidence bundle by itself, in the browser, and what it cannot.
 *
 * Checked here: the bundle is canonical JSON (any edit after writing shows), each envelope's DSSE shape and
 * base64, the in-toto Statement inside (types, subjects with SHA-256, the bundle's model), the model digest
 * recomputed from the subjects, each envelope's digest, and whether the evidence record a gate attached is
 * the very record it signed (same SHA-256).
 * Not checked here: signatures. The bundle names keys by id only; the browser holds no trusted public key,
 * so a signature "verified" against a key taken from the same bundle would prove nothing. The UI says so and
 * shows what the gates (which do hold the keys) decided.
 */
import { canonicalJson, decodeBase64Strict, sha256Hex } from './canonical';

export const BUNDLE_SCHEMA = 'mlops-gates.evidence-bundle/1';
export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';
export const STATEMENT_TYPE = 'https://in-toto.io/Statement/v1';
export const PREDICATE_TYPE = 'https://mlops-gates.github.io/evidence/v1';

// Types only: the shared module's code needs node:crypto, which the browser bundle cannot load.
import type { Lineage, ModelRef } from '../../shared/evidence/statement';

export type { Lineage, ModelRef };

export type CheckState = 'ok' | 'failed' | 'not-checked';

export interface Check {
  what: string;
  state: CheckState;
  detail?: string;
}

export interface EnvelopeView {
  index: number;
  gate: string;
  verdict: string;
  finishedAt: string;
  keyids: string[];
  subjects: Array<{ name: string; sha256: string }>;
  modelDigest?: string;
  envelopeDigest: string;
  /** SHA-256 of the signed evidence record's canonical JSON. */
  recordDigest?: string;
  lineage: Lineage;
  checks: Check[];
}

export interface BundleView {
  attachment: string;
  model?: ModelRef;
  checks: Check[];
  envelopes: EnvelopeView[];
}

type Json = Record<string, any>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const SHA256 = /^[0-9a-f]{64}$/;

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The model digest as shared/evidence/statement.ts defines it: SHA-256 of the sorted subject list's canonical JSON. */
export function modelDigestOf(subjects: ReadonlyArray<{ name: string; sha256: string }>): Promise<string> {
  const list = subjects.map((s) => ({ name: s.name, digest: { sha256: s.sha256 } })).sort((a, b) => cmp(a.name, b.name));
  return sha256Hex(canonicalJson(list));
}

function envelopeShape(e: unknown): string | undefined {
  if (!isObj(e)) return 'not a JSON object';
  const extra = Object.keys(e).filter((k) => !['payload', 'payloadType', 'signatures'].includes(k));
  if (extra.length) return `unknown members ${extra.join(', ')}`;
  if (typeof e.payload !== 'string' || !decodeBase64Strict(e.payload)) return 'payload is missing or not canonical base64';
  if (e.payloadType !== IN_TOTO_PAYLOAD_TYPE) return `payloadType is ${JSON.stringify(e.payloadType)}, expected ${IN_TOTO_PAYLOAD_TYPE}`;
  if (!Array.isArray(e.signatures) || e.signatures.length === 0) return 'no signatures';
  for (const [i, s] of e.signatures.entries()) {
    if (!isObj(s) || typeof s.keyid !== 'string' || !s.keyid) return `signatures[${i}] has no keyid`;
    if (typeof s.sig !== 'string' || !decodeBase64Strict(s.sig)) return `signatures[${i}].sig is not canonical base64`;
  }
  return undefined;
}

function statementProblem(st: unknown, model: ModelRef | undefined): string | undefined {
  if (!isObj(st)) return 'the payload is not a JSON object';
  if (st._type !== STATEMENT_TYPE) return `_type is ${JSON.stringify(st._type)}`;
  if (st.predicateType !== PREDICATE_TYPE) return `predicateType is ${JSON.stringify(st.predicateType)}`;
  if (!Array.isArray(st.subject) || st.subject.length === 0) return 'no subjects';
  for (const s of st.subject) if (!isObj(s) || typeof s.name !== 'string' || !SHA256.test(String(s.digest?.sha256))) return 'a subject lacks a SHA-256 digest';
  const p = st.predicate;
  if (!isObj(p) || !isObj(p.evidence) || !isObj(p.model)) return 'the predicate lacks its evidence record or model';
  if (model && (p.model.name !== model.name || p.model.version !== model.version || p.model.assetId !== model.assetId)) {
    return `it is about ${p.model.name}:${p.model.version}, the bundle about ${model.name}:${model.version}`;
  }
  return undefined;
}

/**
 * Checks a bundle's text. `records` maps a gate name to the SHA-256 of the evidence record that gate attached
 * (`<gate>.evidence.json`), to tie the signed record to the attached one. Never throws on bad input: every
 * problem becomes a failed check.
 */
export async function checkBundle(text: string, attachment: string, records: ReadonlyMap<string, string>): Promise<BundleView> {
  const view: BundleView = { attachment, checks: [], envelopes: [] };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    view.checks.push({ what: 'Bundle is JSON', state: 'failed', detail: (e as Error).message });
    return view;
  }
  if (!isObj(value) || value.schema !== BUNDLE_SCHEMA || !Array.isArray(value.envelopes)) {
    view.checks.push({ what: `Bundle schema ${BUNDLE_SCHEMA}`, state: 'failed', detail: 'schema, model or envelopes missing' });
    return view;
  }
  const m = value.model;
  if (isObj(m) && typeof m.name === 'string' && typeof m.version === 'string' && typeof m.assetId === 'string') view.model = { name: m.name, version: m.version, assetId: m.assetId };
  view.checks.push({ what: `Bundle schema ${BUNDLE_SCHEMA}`, state: view.model ? 'ok' : 'failed', detail: view.model ? undefined : 'model is not { name, version, assetId }' });
  let canonical = false;
  try {
    canonical = canonicalJson(value) === text;
  } catch {
    canonical = false;
  }
  view.checks.push({ what: 'Bundle unedited since written (canonical JSON, byte for byte)', state: canonical ? 'ok' : 'failed', detail: canonical ? undefined : 'the bytes differ from the canonical form: the file was changed after the gate wrote it' });

  const digests = new Set<string>();
  for (const [index, env] of (value.envelopes as unknown[]).entries()) {
    const ev: EnvelopeView = { index, gate: '?', verdict: '?', finishedAt: '', keyids: [], subjects: [], envelopeDigest: '', lineage: {}, checks: [] };
    view.envelopes.push(ev);
    try {
      ev.envelopeDigest = await sha256Hex(canonicalJson(env));
    } catch {
      ev.envelopeDigest = '';
    }
    const shape = envelopeShape(env);
    ev.checks.push({ what: 'DSSE envelope structure', state: shape ? 'failed' : 'ok', detail: shape });
    if (shape) continue;
    const e = env as Json;
    ev.keyids = e.signatures.map((s: Json) => String(s.keyid));
    let st: unknown;
    try {
      st = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(decodeBase64Strict(e.payload)!));
    } catch (err) {
      ev.checks.push({ what: 'in-toto Statement', state: 'failed', detail: `payload is not UTF-8 JSON (${(err as Error).message})` });
      continue;
    }
    const problem = statementProblem(st, view.model);
    ev.checks.push({ what: 'in-toto Statement about this model', state: problem ? 'failed' : 'ok', detail: problem });
    if (problem) continue;
    const s = st as Json;
    const rec = s.predicate.evidence as Json;
    ev.gate = String(rec.gate ?? '?');
    ev.verdict = String(rec.verdict ?? '?');
    ev.finishedAt = String(rec.finishedAt ?? '');
    ev.lineage = isObj(s.predicate.lineage) ? (s.predicate.lineage as Lineage) : {};
    ev.subjects = (s.subject as Json[]).map((x) => ({ name: String(x.name), sha256: String(x.digest.sha256) }));
    ev.modelDigest = await modelDigestOf(ev.subjects);
    digests.add(ev.modelDigest);
    ev.recordDigest = await sha256Hex(canonicalJson(rec));
    const attached = records.get(ev.gate);
    ev.checks.push(
      attached === undefined
        ? { what: 'Signed record matches the attached evidence record', state: 'not-checked', detail: `no ${ev.gate}.evidence.json attached to this run` }
        : attached === ev.recordDigest
          ? { what: 'Signed record matches the attached evidence record', state: 'ok' }
          : // A rerun adds a newer envelope; older ones legitimately differ from the newest attached record.
            { what: 'Signed record matches the attached evidence record', state: 'not-checked', detail: 'the attached record is from another run of this gate' },
    );
    ev.checks.push({ what: 'Signature', state: 'not-checked', detail: `signature not verified here: the browser holds no trusted public key for ${ev.keyids.join(', ')}` });
  }
  if (view.envelopes.length) {
    view.checks.push(
      digests.size <= 1
        ? { what: 'Every envelope is about the same model files (one model digest)', state: digests.size ? 'ok' : 'failed' }
        : { what: 'Every envelope is about the same model files (one model digest)', state: 'failed', detail: `${digests.size} different model digests: the files changed between gates` },
    );
  }
  return view;
}

/** Whether some attached record matched a signed envelope: the link between the run's evidence and the signature. */
export function matchedGates(view: BundleView): string[] {
  return view.envelopes.filter((e) => e.checks.some((c) => c.what.startsWith('Signed record') && c.state === 'ok')).map((e) => e.gate);
}
