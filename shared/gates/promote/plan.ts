/**
 * Pure: what a promotion would write, or why it must not. Every check happens here, before the first write;
 * run.ts only carries the plan out. Messages name the model, versions, digests and gates seen.
 */
import type { GateResult, VerifyFailure } from '../../evidence/verify';
import type { ModelRef } from '../../evidence/statement';
import { MODEL_DIGEST_TAG, modelTags, TAG_PREFIX, type GateTagFacts } from '../../evidence/tags';

export type FileDigests = 'verified' | 'not-read';

export type PromoteAction = 'promoted-by-reference' | 'copied' | 'already-present' | 'dry-run';

export interface SourceFacts {
  subscriptionId: string;
  resourceGroup: string;
  workspace: string;
  name: string;
  version: string;
  /** ARM id of the source version. */
  assetId: string;
  /**
   * Model digest (shared/evidence/statement.ts modelDigest) of the files read now; with verifyFileDigests off,
   * of the files as listed and signed (their contents not read).
   */
  digest: string;
  fileCount: number;
  jobName?: string;
  tags: Readonly<Record<string, string>>;
}

export interface TargetFacts {
  kind: 'registry' | 'workspace';
  /** Registry or workspace name. */
  name: string;
  model: string;
  version: string;
  /** The version already there, if any. */
  existing?: { modelUri?: string; tags: Readonly<Record<string, string>> };
}

export interface Verification {
  ok: boolean;
  failures: readonly Pick<VerifyFailure, 'code' | 'message'>[];
  gates: Readonly<Record<string, GateResult>>;
}

export interface PromotionRecord {
  /** The pipeline identity (app/client id, or the connection name). */
  by: string;
  at: string;
  runUrl?: string;
  /**
   * `verified`: every file was read and its sha256 checked against the evidence before the plan; `not-read`:
   * the user turned verifyFileDigests off, names and the model-digest tag were checked, contents were not.
   * Absent: verified.
   */
  fileDigests?: FileDigests;
}

export interface PlanInput {
  source: SourceFacts;
  target: TargetFacts;
  /** The model the bundle names (bundle.model). */
  bundleModel: ModelRef;
  verification: Verification;
  stageTag?: { key: string; value: string };
  promotion: PromotionRecord;
}

export type Plan =
  | { kind: 'refuse'; reasons: string[] }
  | { kind: 'noop'; action: 'already-present'; message: string }
  | {
      kind: 'write';
      action: 'promoted-by-reference' | 'copied';
      /** For a promotion by reference: the source version's azureml:// id; a copy gets its folder at run time. */
      modelUri?: string;
      tags: Record<string, string>;
      properties: Record<string, string>;
      /** The version's `stage` (lifecycle alias), from the stage tag's value. */
      stage?: string;
      /** What will change in the target, one line each (printed by dryRun and before writing). */
      changes: string[];
    };

export const PROMOTED_FROM = `${TAG_PREFIX}promoted-from`;
export const PROMOTED_BY = `${TAG_PREFIX}promoted-by`;
export const PROMOTED_AT = `${TAG_PREFIX}promoted-at`;
export const PROMOTED_RUN = `${TAG_PREFIX}promoted-run`;
export const SOURCE_JOB = `${TAG_PREFIX}source-job`;
export const EVIDENCE_BUNDLE = `${TAG_PREFIX}evidence-bundle`;
/** Whether the task re-read the files before promoting: `verified` or `not-read`. */
export const FILE_DIGESTS = `${TAG_PREFIX}file-digests`;

export function describeTarget(t: Pick<TargetFacts, 'kind' | 'name' | 'model' | 'version'>): string {
  return `${t.model}:${t.version} in ${t.kind} ${t.name}`;
}

export function referenceUri(s: SourceFacts): string {
  return `azureml://subscriptions/${s.subscriptionId}/resourcegroups/${s.resourceGroup}/workspaces/${s.workspace}/models/${s.name}/versions/${s.version}`;
}

export function planPromotion(p: PlanInput): Plan {
  const { source, target } = p;
  const src = `${source.name}:${source.version} in workspace ${source.workspace}`;
  const dst = describeTarget(target);
  const reasons: string[] = [];

  if (p.bundleModel.name !== source.name || p.bundleModel.version !== source.version) {
    reasons.push(`the evidence bundle is about ${p.bundleModel.name}:${p.bundleModel.version}, not the source ${src}`);
  }
  if (!p.verification.ok) {
    for (const f of p.verification.failures) reasons.push(`evidence does not verify (${f.code}): ${f.message}`);
  }
  const facts: GateTagFacts[] = Object.entries(p.verification.gates).map(([gate, g]) => ({ gate, verdict: g.verdict, modelDigest: g.modelDigest, envelopeDigest: g.envelopeDigest }));
  for (const f of facts) {
    if (p.verification.ok && f.modelDigest !== source.digest) reasons.push(`gate ${f.gate} judged model digest ${f.modelDigest}, the source files now have ${source.digest}`);
  }

  const existing = target.existing;
  if (existing) {
    const seen = existing.tags[MODEL_DIGEST_TAG];
    if (seen === undefined) {
      reasons.push(`${dst} already exists without a ${MODEL_DIGEST_TAG} tag: its files cannot be compared; choose another targetVersion`);
    } else if (seen !== source.digest) {
      reasons.push(`${dst} already exists with model digest ${seen}; the source ${src} has ${source.digest}: versions are immutable, choose another targetVersion`);
    }
  }
  if (reasons.length) return { kind: 'refuse', reasons };
  if (existing) {
    return { kind: 'noop', action: 'already-present', message: `${dst} already holds model digest ${source.digest}: nothing to do` };
  }

  const tags: Record<string, string> = {};
  // The source's own tags travel, except evidence tags (recomputed from the verified bundle) and the stage.
  for (const [k, v] of Object.entries(source.tags)) if (!k.startsWith(TAG_PREFIX)) tags[k] = v;
  Object.assign(tags, modelTags(source.digest, facts));
  if (p.stageTag) tags[p.stageTag.key] = p.stageTag.value;

  const properties: Record<string, string> = {
    [PROMOTED_FROM]: source.assetId,
    [PROMOTED_BY]: p.promotion.by,
    [PROMOTED_AT]: p.promotion.at,
    [FILE_DIGESTS]: p.promotion.fileDigests ?? 'verified',
    ...(p.promotion.runUrl ? { [PROMOTED_RUN]: p.promotion.runUrl } : {}),
    ...(source.jobName ? { [SOURCE_JOB]: source.jobName } : {}),
  };
  const byReference = target.kind === 'registry';
  const action = byReference ? 'promoted-by-reference' : 'copied';
  const changes = [
    `create ${dst} from ${src} (${byReference ? 'by reference: Azure ML copies the files server-side' : `${source.fileCount} file(s) copied blob to blob, server-side when the target storage can read the source, else streamed`})`,
    `upload the evidence bundle as evidence.bundle.json next to the model`,
    ...(p.promotion.fileDigests === 'not-read'
      ? [`file contents not re-read (verifyFileDigests: false): file names and the source's ${MODEL_DIGEST_TAG} tag were checked against the signed evidence`]
      : []),
    ...(p.stageTag ? [`stage = ${p.stageTag.value}`] : []),
    ...Object.entries(tags).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => `tag ${k} = ${v}`),
    ...Object.entries(properties).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => `property ${k} = ${v}`),
  ];
  return { kind: 'write', action, ...(byReference ? { modelUri: referenceUri(source) } : {}), tags, properties, ...(p.stageTag ? { stage: p.stageTag.value } : {}), changes };
}
