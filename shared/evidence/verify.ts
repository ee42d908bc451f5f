/**
 * The verifier: is this bundle evidence that the model files in hand passed the required gates, recently,
 * signed by a key we trust? Every check runs and every failure is reported (not just the first), each with
 * a code for tools and a message that names the file, gate, key id or tag and the values seen.
 *
 * Order of trust: an envelope's content is used only after one of its signatures verified with a trusted
 * key; an envelope that did not verify is named by the gate it claims, and nothing else of it is believed.
 */
import { canonicalJson } from '../report/canonicalJson';
import { BundleError, describeModel, envelopeDigest, parseBundle, sameModel, serializeBundle, type EvidenceBundle } from './bundle';
import type { FileDigest } from './digests';
import { checkSignatures, envelopeBody, IN_TOTO_PAYLOAD_TYPE } from './dsse';
import type { Verifier } from './keys';
import { modelDigest, parseStatement, type EvidenceStatement } from './statement';
import { checkTags, gateKebab, type GateTagFacts } from './tags';

export type FailureCode =
  | 'bad-bundle'
  | 'bad-envelope'
  | 'bad-statement'
  | 'bad-signature'
  | 'unknown-key'
  | 'verifier-error'
  | 'model-mismatch'
  | 'digest-mismatch'
  | 'missing-file'
  | 'extra-file'
  | 'gate-missing'
  | 'gate-failed'
  | 'stale'
  | 'future-record'
  | 'tag-mismatch';

export interface VerifyFailure {
  code: FailureCode;
  message: string;
  /** For envelopes that did not verify: the gate the envelope claims, unconfirmed. */
  gate?: string;
  file?: string;
  keyid?: string;
  tag?: string;
}

export interface GateResult {
  verdict: 'passed' | 'failed';
  finishedAt: string;
  /** Key id of the first trusted signature that verified. */
  keyid: string;
  envelopeDigest: string;
  /** Model digest of the envelope's subjects. */
  modelDigest: string;
  /** Position of the envelope in the bundle. */
  envelope: number;
}

export interface VerifyResult {
  ok: boolean;
  failures: VerifyFailure[];
  /** The newest verified evidence per gate (by gate name as recorded). */
  gates: Record<string, GateResult>;
}

export interface VerifyOptions {
  /** Digests of the model files, computed now (digestModel). */
  files: readonly FileDigest[];
  trustedKeys: readonly Verifier[];
  /** Gate names (SecurityGate or security-gate) that must have passed. */
  requiredGates: readonly string[];
  /** Oldest evidence accepted, in days (fractions allowed; Infinity: no limit). */
  maxAgeDays: number;
  now: Date;
  /** The model version's tags; when given they must agree with the bundle. */
  tags?: Readonly<Record<string, string>>;
  /** Evidence may finish this far in the future before it counts as a clock problem (default 5). */
  clockSkewMinutes?: number;
}

interface Verified {
  index: number;
  statement: EvidenceStatement;
  keyid: string;
  envelopeDigest: string;
}

const DAY_MS = 86_400_000;

/**
 * The gate an envelope claims to be about, read without trusting it and only to name it in messages. A
 * damaged payload may not parse, so the record's `"gate":"…"` member is looked for in the text as well.
 */
function claimedGate(payload: Buffer): string | undefined {
  const text = payload.toString('utf8');
  let gate: unknown;
  try {
    gate = JSON.parse(text)?.predicate?.evidence?.gate;
  } catch {
    gate = /"gate":"([A-Za-z0-9 _.-]{1,100})"/.exec(text)?.[1];
  }
  return typeof gate === 'string' && /^[A-Za-z0-9 _.-]{1,100}$/.test(gate) ? gate : undefined;
}

function toBundle(input: EvidenceBundle | string | Uint8Array): EvidenceBundle {
  if (typeof input === 'string' || input instanceof Uint8Array) return parseBundle(input);
  // An object may come from anywhere (JSON.parse of an edited file): put it through the same checks.
  let text: string;
  try {
    text = serializeBundle(input);
  } catch (e) {
    throw new BundleError(`the bundle cannot be serialized: ${(e as Error).message}`);
  }
  return parseBundle(text);
}

export async function verifyBundle(input: EvidenceBundle | string | Uint8Array, opts: VerifyOptions): Promise<VerifyResult> {
  if (opts.trustedKeys.length === 0) throw new TypeError('verifyBundle needs at least one trusted key');
  if (!(opts.maxAgeDays > 0)) throw new TypeError(`maxAgeDays must be positive, got ${opts.maxAgeDays}`);
  const failures: VerifyFailure[] = [];
  let bundle: EvidenceBundle;
  try {
    bundle = toBundle(input);
  } catch (e) {
    if (!(e instanceof BundleError)) throw e;
    return { ok: false, failures: [{ code: 'bad-bundle', message: e.message }], gates: {} };
  }

  const trustedIds = opts.trustedKeys.map((k) => k.keyid).join(', ');
  const verified: Verified[] = [];
  const unverifiedClaims = new Set<string>();

  for (const [index, env] of bundle.envelopes.entries()) {
    const payload = envelopeBody(env);
    const claim = claimedGate(payload);
    const label = `envelope ${index + 1}${claim ? ` (${claim})` : ''}`;
    const gate = claim; // unconfirmed until a signature verifies
    if (env.payloadType !== IN_TOTO_PAYLOAD_TYPE) {
      failures.push({ code: 'bad-envelope', gate, message: `${label}: payloadType is ${JSON.stringify(env.payloadType)}, expected ${IN_TOTO_PAYLOAD_TYPE}` });
      if (claim) unverifiedClaims.add(gateKebab(claim));
      continue;
    }
    const checks = await checkSignatures(env, opts.trustedKeys);
    for (const c of checks) {
      if (c.status === 'invalid') {
        failures.push({ code: 'bad-signature', gate, keyid: c.keyid, message: `${label}: the signature by key ${c.keyid} does not verify (payload or signature changed, or signed by another key)` });
      } else if (c.status === 'error') {
        failures.push({ code: 'verifier-error', gate, keyid: c.keyid, message: `${label}: key ${c.keyid} could not verify the signature: ${c.detail ?? 'unknown error'}` });
      }
    }
    const valid = checks.find((c) => c.status === 'valid');
    if (!valid) {
      if (checks.every((c) => c.status === 'unknown-key')) {
        const ids = checks.map((c) => c.keyid).join(', ');
        failures.push({ code: 'unknown-key', gate, keyid: checks[0].keyid, message: `${label}: signed only by untrusted key ${ids}; trusted keys: ${trustedIds}` });
      }
      if (claim) unverifiedClaims.add(gateKebab(claim));
      continue;
    }
    let statement: EvidenceStatement;
    try {
      statement = parseStatement(payload);
    } catch (e) {
      failures.push({ code: 'bad-statement', gate, keyid: valid.keyid, message: `${label}: signed by ${valid.keyid} but not an evidence statement: ${(e as Error).message}` });
      if (claim) unverifiedClaims.add(gateKebab(claim));
      continue;
    }
    if (!sameModel(statement.predicate.model, bundle.model)) {
      failures.push({
        code: 'model-mismatch',
        gate,
        message: `${label}: the evidence is about ${describeModel(statement.predicate.model)}, the bundle is for ${describeModel(bundle.model)}`,
      });
      if (claim) unverifiedClaims.add(gateKebab(claim));
      continue;
    }
    verified.push({ index, statement, keyid: valid.keyid, envelopeDigest: envelopeDigest(env) });
  }

  failures.push(...compareFiles(verified, opts.files));

  // Newest per gate: the signed finishedAt decides; on a tie the later envelope.
  const newest = new Map<string, Verified>();
  for (const v of verified) {
    const gate = v.statement.predicate.evidence.gate;
    const prev = newest.get(gate);
    if (!prev || Date.parse(v.statement.predicate.evidence.finishedAt) >= Date.parse(prev.statement.predicate.evidence.finishedAt)) newest.set(gate, v);
  }
  const gates: Record<string, GateResult> = {};
  for (const [gate, v] of [...newest].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const ev = v.statement.predicate.evidence;
    gates[gate] = { verdict: ev.verdict, finishedAt: ev.finishedAt, keyid: v.keyid, envelopeDigest: v.envelopeDigest, modelDigest: modelDigest(v.statement.subject), envelope: v.index + 1 };
  }

  const byKebab = new Map(Object.keys(gates).map((g) => [gateKebab(g), g]));
  for (const required of opts.requiredGates) {
    const k = gateKebab(required);
    const gate = byKebab.get(k);
    if (!gate) {
      // An envelope that claims the gate but did not verify already has its own failure.
      if (!unverifiedClaims.has(k)) {
        const have = Object.keys(gates);
        failures.push({ code: 'gate-missing', gate: required, message: `required gate ${required} has no evidence in the bundle (verified gates: ${have.length ? have.join(', ') : 'none'})` });
      }
      continue;
    }
    const ev = newest.get(gate)!.statement.predicate.evidence;
    if (ev.verdict !== 'passed') {
      const counts = Object.entries(ev.counts ?? {}).filter(([, n]) => typeof n === 'number' && n > 0).map(([s, n]) => `${s} ${n}`);
      const why = ev.error ? `could not judge: ${ev.error}` : counts.length ? `active findings: ${counts.join(', ')}` : `threshold ${ev.threshold}`;
      failures.push({ code: 'gate-failed', gate, message: `required gate ${gate} failed in its newest run (finished ${ev.finishedAt}; ${why})` });
    }
  }

  const now = opts.now.getTime();
  const skewMs = (opts.clockSkewMinutes ?? 5) * 60_000;
  for (const [gate, g] of Object.entries(gates)) {
    const age = now - Date.parse(g.finishedAt);
    if (age > opts.maxAgeDays * DAY_MS) {
      failures.push({ code: 'stale', gate, message: `${gate} evidence finished ${g.finishedAt}, ${(age / DAY_MS).toFixed(1)} days before ${opts.now.toISOString()}; the policy allows ${opts.maxAgeDays} days` });
    } else if (age < -skewMs) {
      failures.push({ code: 'future-record', gate, message: `${gate} evidence finished ${g.finishedAt}, after now (${opts.now.toISOString()}): a wrong clock or a forged time` });
    }
  }

  if (opts.tags) {
    const facts: GateTagFacts[] = Object.entries(gates).map(([gate, g]) => ({ gate, verdict: g.verdict, modelDigest: g.modelDigest, envelopeDigest: g.envelopeDigest }));
    // Tags are checked against the verified bundle (files against the bundle are checked above), so a changed
    // file and a changed tag each give one failure. Gates that judged different files: fall back to the files.
    const judged = new Set(facts.map((f) => f.modelDigest));
    const expectedDigest = judged.size === 1 ? [...judged][0] : modelDigest(opts.files);
    for (const p of checkTags(opts.tags, { modelDigest: expectedDigest, gates: facts })) {
      // Tags of a gate whose envelope did not verify would only repeat that envelope's failure.
      if (p.gate && unverifiedClaims.has(p.gate) && !byKebab.has(p.gate)) continue;
      failures.push({ code: 'tag-mismatch', tag: p.tag, message: p.message });
    }
  }

  return { ok: failures.length === 0, failures, gates };
}

/** Subjects of every verified envelope against the files on disk; one failure per file and problem. */
function compareFiles(verified: readonly Verified[], files: readonly FileDigest[]): VerifyFailure[] {
  const onDisk = new Map(files.map((f) => [f.name, f.sha256]));
  const problems = new Map<string, { code: FailureCode; file: string; detail: string; gates: Set<string> }>();
  const note = (code: FailureCode, file: string, detail: string, gate: string) => {
    const key = canonicalJson([code, file, detail]);
    const p = problems.get(key) ?? { code, file, detail, gates: new Set<string>() };
    p.gates.add(gate);
    problems.set(key, p);
  };
  for (const v of verified) {
    const gate = v.statement.predicate.evidence.gate;
    const named = new Set<string>();
    for (const s of v.statement.subject) {
      named.add(s.name);
      const actual = onDisk.get(s.name);
      if (actual === undefined) note('missing-file', s.name, `signed with sha256 ${s.digest.sha256}, not among the model files`, gate);
      else if (actual !== s.digest.sha256) note('digest-mismatch', s.name, `sha256 is ${actual} on disk, ${s.digest.sha256} in the evidence`, gate);
    }
    for (const f of files) if (!named.has(f.name)) note('extra-file', f.name, `(sha256 ${f.sha256}) is among the model files but not in the evidence`, gate);
  }
  return [...problems.values()].map((p) => ({
    code: p.code,
    file: p.file,
    message: `${p.file}: ${p.detail} of ${[...p.gates].join(', ')}`,
  }));
}
