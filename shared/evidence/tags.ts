/**
 * Azure ML tags on the model version: the human-readable (and server-task-readable) face of the bundle.
 *
 *   mlops-gates.model-digest            SHA-256 of the model's sorted file digest list (`modelDigest`)
 *   mlops-gates.<gate>                  passed | failed            (newest evidence of the gate)
 *   mlops-gates.<gate>.digest           the model digest that gate judged (equals model-digest when current)
 *   mlops-gates.<gate>.envelope         SHA-256 of the gate's newest DSSE envelope (canonical JSON)
 *   mlops-gates.bundle                  where the bundle is (URL or path)
 *
 * <gate> is the gate name in kebab case: SecurityGate → security-gate. Tags are not signed: they let the
 * agentless release gate compare strings without code, and `checkTags` makes sure they say what the
 * verified bundle says.
 */
import { envelopeDigest } from './bundle';
import { envelopeBody, type DsseEnvelope } from './dsse';
import { modelDigest, parseStatement } from './statement';

export const TAG_PREFIX = 'mlops-gates.';
export const MODEL_DIGEST_TAG = `${TAG_PREFIX}model-digest`;
export const BUNDLE_TAG = `${TAG_PREFIX}bundle`;

/** SecurityGate → security-gate, ONNXCheck → onnx-check; kebab names stay as they are. */
export function gateKebab(gate: string): string {
  return gate
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .toLowerCase();
}

export function verdictTag(gate: string): string {
  return `${TAG_PREFIX}${gateKebab(gate)}`;
}
export function digestTag(gate: string): string {
  return `${verdictTag(gate)}.digest`;
}
export function envelopeTag(gate: string): string {
  return `${verdictTag(gate)}.envelope`;
}

/** What the tags should say about one gate: taken from its newest verified envelope. */
export interface GateTagFacts {
  gate: string;
  verdict: 'passed' | 'failed';
  /** Model digest of the statement's subjects. */
  modelDigest: string;
  envelopeDigest: string;
}

export function gateTags(facts: GateTagFacts): Record<string, string> {
  return {
    [verdictTag(facts.gate)]: facts.verdict,
    [digestTag(facts.gate)]: facts.modelDigest,
    [envelopeTag(facts.gate)]: facts.envelopeDigest,
  };
}

/** All tags for a model version: its digest, every gate's newest facts, and the bundle's location. */
export function modelTags(modelDigest: string, gates: readonly GateTagFacts[], bundleLocation?: string): Record<string, string> {
  const tags: Record<string, string> = { [MODEL_DIGEST_TAG]: modelDigest };
  for (const g of gates) Object.assign(tags, gateTags(g));
  if (bundleLocation) tags[BUNDLE_TAG] = bundleLocation;
  return tags;
}

export interface TagProblem {
  tag: string;
  /** The gate (kebab case) a gate tag is about; absent for model-digest. */
  gate?: string;
  message: string;
}

/** security-gate for mlops-gates.security-gate and its .digest/.envelope tags; undefined for other tags. */
export function gateOfTag(tag: string): string | undefined {
  if (!tag.startsWith(TAG_PREFIX) || tag === MODEL_DIGEST_TAG || tag === BUNDLE_TAG) return undefined;
  return tag.slice(TAG_PREFIX.length).replace(/\.(digest|envelope)$/, '');
}

function show(v: string | undefined): string {
  return v === undefined ? 'missing' : JSON.stringify(v);
}

/**
 * Compares the model version's tags with what the verified bundle says. Every
 * problem names the tag, the value seen and the value expected. Tags outside `mlops-gates.` are ignored;
 * a gate tag for a gate the bundle has no evidence of is a problem (a claim without evidence).
 */
export function checkTags(tags: Readonly<Record<string, string>>, expected: { modelDigest: string; gates: readonly GateTagFacts[] }): TagProblem[] {
  const problems: TagProblem[] = [];
  const want = modelTags(expected.modelDigest, expected.gates);
  for (const [tag, value] of Object.entries(want)) {
    const seen = tags[tag];
    if (seen === value) continue;
    const gate = gateOfTag(tag);
    problems.push({ tag, ...(gate ? { gate } : {}), message: `tag ${tag} is ${show(seen)}; the bundle says ${JSON.stringify(value)}` });
  }
  for (const [tag, value] of Object.entries(tags)) {
    if (!tag.startsWith(TAG_PREFIX) || tag in want || tag === BUNDLE_TAG) continue;
    const gate = gateOfTag(tag)!;
    problems.push({ tag, gate, message: `tag ${tag} is ${JSON.stringify(value)} but the bundle holds no verified evidence of gate ${gate}` });
  }
  return problems;
}

/** Tags as the release gate reads them, grouped per gate (for display and tools). */
export function parseTags(tags: Readonly<Record<string, string>>): {
  modelDigest?: string;
  bundle?: string;
  gates: Record<string, { verdict?: string; digest?: string; envelope?: string }>;
} {
  const out: ReturnType<typeof parseTags> = { gates: {} };
  for (const [tag, value] of Object.entries(tags)) {
    if (!tag.startsWith(TAG_PREFIX)) continue;
    if (tag === MODEL_DIGEST_TAG) out.modelDigest = value;
    else if (tag === BUNDLE_TAG) out.bundle = value;
    else {
      const m = /^([a-z0-9-]+)(?:\.(digest|envelope))?$/.exec(tag.slice(TAG_PREFIX.length));
      if (!m) continue;
      const g = (out.gates[m[1]] ??= {});
      if (m[2] === 'digest') g.digest = value;
      else if (m[2] === 'envelope') g.envelope = value;
      else g.verdict = value;
    }
  }
  return out;
}

/**
 * The tag facts of one envelope, for the gate that just signed it. Decodes without verifying: the writer
 * made the envelope itself; verifiers derive facts only from verified envelopes.
 */
export function factsOfEnvelope(envelope: DsseEnvelope): GateTagFacts {
  const statement = parseStatement(envelopeBody(envelope));
  return {
    gate: statement.predicate.evidence.gate,
    verdict: statement.predicate.evidence.verdict,
    modelDigest: modelDigest(statement.subject),
    envelopeDigest: envelopeDigest(envelope),
  };
}
