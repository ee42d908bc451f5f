/**
 * The evidence bundle of one model version: every signed gate run about it, in the order they were added.
 *
 *   { "schema": "mlops-gates.evidence-bundle/1", "model": { name, version, assetId }, "envelopes": [DSSE…] }
 *
 * Runs are appended, never replaced: a re-run of a gate adds a newer envelope and the verifier takes the
 * newest per gate (by the signed `finishedAt`), while older ones stay as history and must still verify.
 * The file is canonical JSON byte for byte (sorted keys, no whitespace, no trailing newline) and is read
 * back only in that form, so any edit to it, however harmless-looking, is refused rather than interpreted.
 */
import { createHash } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { canonicalJson } from '../report/canonicalJson';
import { envelopeBody, EnvelopeError, parseEnvelope, type DsseEnvelope } from './dsse';
import { parseStatement, StatementError, type ModelRef } from './statement';

export const BUNDLE_SCHEMA = 'mlops-gates.evidence-bundle/1';

export interface EvidenceBundle {
  schema: typeof BUNDLE_SCHEMA;
  model: ModelRef;
  envelopes: DsseEnvelope[];
}

export class BundleError extends Error {
  override name = 'BundleError';
}

export function emptyBundle(model: ModelRef): EvidenceBundle {
  return { schema: BUNDLE_SCHEMA, model: { name: model.name, version: model.version, assetId: model.assetId }, envelopes: [] };
}

export function sameModel(a: ModelRef, b: ModelRef): boolean {
  return a.name === b.name && a.version === b.version && a.assetId === b.assetId;
}

export function describeModel(m: ModelRef): string {
  return `${m.name}:${m.version} (${m.assetId})`;
}

/**
 * A new bundle with `envelope` appended. Refuses an envelope about another model version; does not verify
 * signatures (the signer just made it; verifiers check everything anyway).
 */
export function addEnvelope(bundle: EvidenceBundle, envelope: DsseEnvelope): EvidenceBundle {
  const env = parseEnvelope(envelope);
  const statement = parseStatement(envelopeBody(env));
  if (!sameModel(statement.predicate.model, bundle.model)) {
    throw new BundleError(`the envelope is about ${describeModel(statement.predicate.model)}, the bundle about ${describeModel(bundle.model)}`);
  }
  return { ...bundle, envelopes: [...bundle.envelopes, env] };
}

export function serializeBundle(bundle: EvidenceBundle): string {
  return canonicalJson(bundle);
}

/** Lower-case hex SHA-256 of the envelope's canonical JSON: what the `mlops-gates.<gate>.envelope` tag holds. */
export function envelopeDigest(envelope: DsseEnvelope): string {
  return createHash('sha256').update(canonicalJson(envelope), 'utf8').digest('hex');
}

function isObject(v: unknown): v is Record<string, any> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Parses bundle text; throws a BundleError saying what is wrong and where. */
export function parseBundle(text: string | Uint8Array): EvidenceBundle {
  const s = typeof text === 'string' ? text : Buffer.from(text).toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(s);
  } catch (e) {
    throw new BundleError(`the bundle is not JSON (${(e as Error).message})`);
  }
  if (!isObject(value)) throw new BundleError('the bundle is not a JSON object');
  if (value.schema !== BUNDLE_SCHEMA) throw new BundleError(`the bundle's schema is ${JSON.stringify(value.schema)}, expected ${BUNDLE_SCHEMA}`);
  const extra = Object.keys(value).filter((k) => !['schema', 'model', 'envelopes'].includes(k));
  if (extra.length) throw new BundleError(`the bundle has unknown members ${extra.map((k) => JSON.stringify(k)).join(', ')}`);
  const m = value.model;
  if (!isObject(m) || Object.keys(m).length !== 3 || ['name', 'version', 'assetId'].some((k) => typeof m[k] !== 'string' || m[k] === '')) {
    throw new BundleError('the bundle\'s model must be exactly { name, version, assetId }, all non-empty strings');
  }
  if (!Array.isArray(value.envelopes)) throw new BundleError('the bundle has no envelopes list');
  const envelopes = value.envelopes.map((e: unknown, i: number) => {
    try {
      return parseEnvelope(e, `envelopes[${i}]`);
    } catch (err) {
      if (err instanceof EnvelopeError || err instanceof StatementError) throw new BundleError(err.message);
      throw err;
    }
  });
  const bundle: EvidenceBundle = { schema: BUNDLE_SCHEMA, model: { name: m.name, version: m.version, assetId: m.assetId }, envelopes };
  // Last: the shape errors above say more than "not canonical" would.
  if (serializeBundle(bundle) !== s) {
    throw new BundleError('the bundle is not in canonical JSON form (sorted keys, no whitespace, no trailing newline): it was edited after it was written');
  }
  return bundle;
}

export async function readBundle(path: string): Promise<EvidenceBundle> {
  return parseBundle(await readFile(path));
}

/** Writes through a temporary file and a rename, so a reader never sees half a bundle. */
export async function writeBundle(path: string, bundle: EvidenceBundle): Promise<void> {
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(tmp, serializeBundle(bundle), 'utf8');
  await rename(tmp, path);
}
