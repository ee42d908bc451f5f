/**
 * DSSE (Dead Simple Signing Envelope, v1): the signature covers the pre-authentication encoding
 *   PAE(type, body) = "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body
 * where SP is one ASCII space and LEN is the byte length in ASCII decimal without leading zeros, so the
 * payload type is signed too and no JSON canonicalization is needed to verify.
 *
 * The envelope is `{ payload: base64(body), payloadType, signatures: [{ keyid, sig: base64(signature) }] }`.
 * DSSE tells consumers to ignore unknown members and allows an empty keyid; envelopes inside our bundle are
 * only ever written by us, so `parseEnvelope` is closed instead: unknown members, a missing keyid and
 * non-canonical base64 are refused, which makes every changed byte of a bundle visible.
 */
import { decodeBase64Strict, encodeBase64 } from './base64';
import type { Signer, Verifier } from './keys';

export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';

export interface DsseSignature {
  keyid: string;
  /** Base64 of the signature bytes. */
  sig: string;
}

export interface DsseEnvelope {
  /** Base64 of the serialized body. */
  payload: string;
  payloadType: string;
  signatures: DsseSignature[];
}

export class EnvelopeError extends Error {
  override name = 'EnvelopeError';
}

/** The bytes a DSSE signature covers. */
export function pae(payloadType: string, body: Uint8Array): Buffer {
  const type = Buffer.from(payloadType, 'utf8');
  return Buffer.concat([
    Buffer.from(`DSSEv1 ${type.length} `, 'ascii'),
    type,
    Buffer.from(` ${body.length} `, 'ascii'),
    body,
  ]);
}

/** Signs `body` with every signer (at least one) into one envelope. */
export async function signEnvelope(body: Uint8Array, payloadType: string, signers: readonly Signer[]): Promise<DsseEnvelope> {
  if (signers.length === 0) throw new EnvelopeError('no signing key given');
  const ids = new Set(signers.map((s) => s.keyid));
  if (ids.size !== signers.length) throw new EnvelopeError('two signers share one key id');
  const message = pae(payloadType, body);
  const signatures: DsseSignature[] = [];
  for (const signer of signers) {
    signatures.push({ keyid: signer.keyid, sig: encodeBase64(await signer.sign(message)) });
  }
  return { payload: encodeBase64(body), payloadType, signatures };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function onlyMembers(o: Record<string, unknown>, allowed: readonly string[], where: string): void {
  const extra = Object.keys(o).filter((k) => !allowed.includes(k));
  if (extra.length) throw new EnvelopeError(`${where} has unknown member${extra.length > 1 ? 's' : ''} ${extra.map((k) => JSON.stringify(k)).join(', ')}`);
}

/** Checks the envelope's shape and encodings; throws an EnvelopeError naming the member at fault. */
export function parseEnvelope(value: unknown, where = 'envelope'): DsseEnvelope {
  if (!isObject(value)) throw new EnvelopeError(`${where} is not a JSON object`);
  onlyMembers(value, ['payload', 'payloadType', 'signatures'], where);
  const { payload, payloadType, signatures } = value;
  if (typeof payload !== 'string') throw new EnvelopeError(`${where}.payload is missing or not a string`);
  if (!decodeBase64Strict(payload)) throw new EnvelopeError(`${where}.payload is not canonical base64`);
  if (typeof payloadType !== 'string' || payloadType === '') throw new EnvelopeError(`${where}.payloadType is missing or empty`);
  if (!Array.isArray(signatures) || signatures.length === 0) throw new EnvelopeError(`${where}.signatures is missing or empty`);
  const out: DsseSignature[] = signatures.map((s, i) => {
    const at = `${where}.signatures[${i}]`;
    if (!isObject(s)) throw new EnvelopeError(`${at} is not a JSON object`);
    onlyMembers(s, ['keyid', 'sig'], at);
    if (typeof s.keyid !== 'string' || s.keyid === '') throw new EnvelopeError(`${at}.keyid is missing or empty`);
    if (typeof s.sig !== 'string' || s.sig === '') throw new EnvelopeError(`${at}.sig is missing or empty`);
    if (!decodeBase64Strict(s.sig)) throw new EnvelopeError(`${at}.sig (key ${s.keyid}) is not canonical base64`);
    return { keyid: s.keyid, sig: s.sig };
  });
  return { payload, payloadType, signatures: out };
}

/** The payload bytes of an envelope that passed `parseEnvelope`. */
export function envelopeBody(envelope: DsseEnvelope): Buffer {
  const body = decodeBase64Strict(envelope.payload);
  if (!body) throw new EnvelopeError('payload is not canonical base64');
  return body;
}

export type SignatureStatus = 'valid' | 'invalid' | 'unknown-key' | 'error';

export interface SignatureCheck {
  keyid: string;
  status: SignatureStatus;
  /** Why a verifier could not answer (status `error`), e.g. Key Vault unreachable. */
  detail?: string;
}

/**
 * Checks every signature against the trusted verifiers. The keyid only picks candidate keys: a signature
 * whose keyid no trusted key has is `unknown-key`, never verified against other keys.
 */
export async function checkSignatures(envelope: DsseEnvelope, trusted: readonly Verifier[]): Promise<SignatureCheck[]> {
  const message = pae(envelope.payloadType, envelopeBody(envelope));
  const checks: SignatureCheck[] = [];
  for (const s of envelope.signatures) {
    const candidates = trusted.filter((v) => v.keyid === s.keyid);
    if (candidates.length === 0) {
      checks.push({ keyid: s.keyid, status: 'unknown-key' });
      continue;
    }
    const sig = decodeBase64Strict(s.sig);
    if (!sig) {
      checks.push({ keyid: s.keyid, status: 'invalid' });
      continue;
    }
    let status: SignatureStatus = 'invalid';
    let detail: string | undefined;
    for (const v of candidates) {
      try {
        if (await v.verify(message, sig)) {
          status = 'valid';
          break;
        }
      } catch (e) {
        status = 'error';
        detail = e instanceof Error ? e.message : String(e);
      }
    }
    checks.push({ keyid: s.keyid, status, ...(status === 'error' && detail ? { detail } : {}) });
  }
  return checks;
}
