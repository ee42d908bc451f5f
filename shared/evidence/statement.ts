/**
 * The in-toto Statement (v1) one gate run signs: its subjects are the model's files with their SHA-256,
 * its predicate the gate's evidence record plus which model version it is about and where it came from.
 *
 *   { "_type": "https://in-toto.io/Statement/v1",
 *     "subject": [{ "name": "model/weights.onnx", "digest": { "sha256": "…" } }, …],
 *     "predicateType": "https://mlops-gates.github.io/evidence/v1",
 *     "predicate": { "evidence": <EvidenceRecord>, "model": {…}, "lineage": {…} } }
 *
 * The record is nested rather than merged so it keeps its own schema and digest (`digestOf`). Serialized as
 * canonical JSON: the same facts give the same payload bytes.
 */
import { createHash } from 'node:crypto';
import { EVIDENCE_SCHEMA, type EvidenceRecord } from '../report/evidence';
import { canonicalJson } from '../report/canonicalJson';
import type { FileDigest } from './digests';

export const STATEMENT_TYPE = 'https://in-toto.io/Statement/v1';
/** Our predicate type; a new shape of the predicate gets a new URI. */
export const PREDICATE_TYPE = 'https://mlops-gates.github.io/evidence/v1';

export interface Subject {
  name: string;
  digest: { sha256: string };
}

/** The model version the evidence is about. */
export interface ModelRef {
  name: string;
  version: string;
  /** ARM id of the model version, in a workspace (`…/workspaces/w/models/n/versions/v`) or a registry. */
  assetId: string;
}

export interface Lineage {
  commit?: string;
  repository?: string;
  pipelineRunUrl?: string;
  /** Azure ML job that trained the model. */
  trainingJobId?: string;
  /** Data asset ids (azureml:… or ARM ids) the model was trained on. */
  dataAssets?: string[];
  /** Azure ML environment (name:version or id) of the training job. */
  environment?: string;
}

export interface EvidencePredicate {
  evidence: EvidenceRecord;
  model: ModelRef;
  lineage: Lineage;
}

export interface EvidenceStatement {
  _type: typeof STATEMENT_TYPE;
  subject: Subject[];
  predicateType: typeof PREDICATE_TYPE;
  predicate: EvidencePredicate;
}

export class StatementError extends Error {
  override name = 'StatementError';
}

const SHA256 = /^[0-9a-f]{64}$/;

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function subjectsOf(files: readonly FileDigest[]): Subject[] {
  return files.map((f) => ({ name: f.name, digest: { sha256: f.sha256 } })).sort((a, b) => cmp(a.name, b.name));
}

/**
 * One digest for the whole model: SHA-256 (hex) of the canonical JSON of its sorted subject list, e.g.
 * `[{"digest":{"sha256":"…"},"name":"a.onnx"}]`. Identical for every gate that judged the same files, which
 * is what the `mlops-gates.model-digest` tag and the release gate compare.
 */
export function modelDigest(files: readonly FileDigest[] | readonly Subject[]): string {
  const subjects = files.map((f) => ('digest' in f ? { name: f.name, digest: { sha256: f.digest.sha256 } } : { name: f.name, digest: { sha256: f.sha256 } }));
  subjects.sort((a, b) => cmp(a.name, b.name));
  return createHash('sha256').update(canonicalJson(subjects), 'utf8').digest('hex');
}

function compact<T extends object>(o: T): T {
  return Object.fromEntries(
    Object.entries(o).filter(([, v]) => v !== undefined && v !== '' && !(Array.isArray(v) && v.length === 0)),
  ) as T;
}

export function buildStatement(files: readonly FileDigest[], predicate: EvidencePredicate): EvidenceStatement {
  if (files.length === 0) throw new StatementError('a statement needs at least one model file');
  const names = new Set(files.map((f) => f.name));
  if (names.size !== files.length) throw new StatementError('two model files share one name');
  for (const f of files) if (!SHA256.test(f.sha256)) throw new StatementError(`${f.name}: not a lower-case hex SHA-256: ${f.sha256}`);
  checkModel(predicate.model, 'model');
  const lineage = compact({ ...predicate.lineage, dataAssets: predicate.lineage.dataAssets ? [...predicate.lineage.dataAssets].sort(cmp) : undefined });
  return {
    _type: STATEMENT_TYPE,
    subject: subjectsOf(files),
    predicateType: PREDICATE_TYPE,
    predicate: { evidence: predicate.evidence, model: { name: predicate.model.name, version: predicate.model.version, assetId: predicate.model.assetId }, lineage },
  };
}

/** The DSSE payload: canonical JSON as UTF-8. */
export function serializeStatement(statement: EvidenceStatement): Buffer {
  return Buffer.from(canonicalJson(statement), 'utf8');
}

function isObject(v: unknown): v is Record<string, any> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function checkModel(m: unknown, where: string): asserts m is ModelRef {
  if (!isObject(m)) throw new StatementError(`${where} is not an object`);
  for (const k of ['name', 'version', 'assetId'] as const) {
    if (typeof m[k] !== 'string' || m[k] === '') throw new StatementError(`${where}.${k} is missing or empty`);
  }
}

function isTimestamp(v: unknown): v is string {
  return typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/.test(v) && !Number.isNaN(Date.parse(v));
}

/**
 * Parses a payload as our Statement. Checks what the verifier relies on (types, subjects, the record's gate,
 * verdict and times, the model); other members are left alone, as in-toto asks of consumers.
 */
export function parseStatement(payload: Uint8Array): EvidenceStatement {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(payload).toString('utf8'));
  } catch (e) {
    throw new StatementError(`the payload is not JSON (${(e as Error).message})`);
  }
  if (!isObject(value)) throw new StatementError('the payload is not a JSON object');
  if (value._type !== STATEMENT_TYPE) throw new StatementError(`_type is ${JSON.stringify(value._type)}, expected ${STATEMENT_TYPE}`);
  if (value.predicateType !== PREDICATE_TYPE) throw new StatementError(`predicateType is ${JSON.stringify(value.predicateType)}, expected ${PREDICATE_TYPE}`);
  const subject = value.subject;
  if (!Array.isArray(subject) || subject.length === 0) throw new StatementError('subject is missing or empty');
  const seen = new Set<string>();
  subject.forEach((s, i) => {
    if (!isObject(s) || typeof s.name !== 'string' || s.name === '') throw new StatementError(`subject[${i}] has no name`);
    if (!isObject(s.digest) || typeof s.digest.sha256 !== 'string' || !SHA256.test(s.digest.sha256)) {
      throw new StatementError(`subject[${i}] (${s.name}) has no lower-case hex sha256 digest`);
    }
    if (seen.has(s.name)) throw new StatementError(`subject ${s.name} appears twice`);
    seen.add(s.name);
  });
  const p = value.predicate;
  if (!isObject(p)) throw new StatementError('predicate is missing');
  const ev = p.evidence;
  if (!isObject(ev)) throw new StatementError('predicate.evidence is missing');
  if (ev.schema !== EVIDENCE_SCHEMA) throw new StatementError(`predicate.evidence.schema is ${JSON.stringify(ev.schema)}, expected ${EVIDENCE_SCHEMA}`);
  if (typeof ev.gate !== 'string' || ev.gate === '') throw new StatementError('predicate.evidence.gate is missing');
  if (ev.verdict !== 'passed' && ev.verdict !== 'failed') throw new StatementError(`predicate.evidence.verdict is ${JSON.stringify(ev.verdict)}, expected passed or failed`);
  for (const k of ['startedAt', 'finishedAt'] as const) {
    if (!isTimestamp(ev[k])) throw new StatementError(`predicate.evidence.${k} is not a UTC timestamp: ${JSON.stringify(ev[k])}`);
  }
  checkModel(p.model, 'predicate.model');
  if (!isObject(p.lineage)) throw new StatementError('predicate.lineage is missing');
  if (p.lineage.dataAssets !== undefined && !(Array.isArray(p.lineage.dataAssets) && p.lineage.dataAssets.every((d: unknown) => typeof d === 'string'))) {
    throw new StatementError('predicate.lineage.dataAssets is not a list of strings');
  }
  return value as unknown as EvidenceStatement;
}
