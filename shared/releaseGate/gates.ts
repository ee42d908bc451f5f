/**
 * The evidence tags a model version carries, as the release gate reads them (the shape agreed with
 * shared/evidence/tags.ts, which writes them):
 *
 *   mlops-gates.<gate>          passed | failed
 *   mlops-gates.<gate>.digest   sha256 (hex) of the model files' digest list, the same for every gate
 *   mlops-gates.model-digest    the model's own value of that digest
 *
 * Azure ML keeps them in the asset's `properties.tags` (string to string), not in ARM's top-level `tags`.
 */

/** Gates whose verdict the release gate can require, by their tag name (kebab case of the task name). */
export const RELEASE_GATES = ['security-gate', 'endpoint-hardening-check', 'explainability-report'] as const;
export type ReleaseGate = (typeof RELEASE_GATES)[number];

export const TAG_PREFIX = 'mlops-gates.';
export const MODEL_DIGEST_TAG = `${TAG_PREFIX}model-digest`;
/** The only status value that counts as a pass; compared case-sensitively (see criterion.ts). */
export const PASSED = 'passed';

export function statusTag(gate: ReleaseGate): string {
  return `${TAG_PREFIX}${gate}`;
}

export function digestTag(gate: ReleaseGate): string {
  return `${TAG_PREFIX}${gate}.digest`;
}

export function isReleaseGate(name: string): name is ReleaseGate {
  return (RELEASE_GATES as readonly string[]).includes(name);
}

/**
 * Name of the ModelEvidenceGate boolean input that makes a gate required: security-gate ->
 * requireSecurityGate. Task input names allow letters and digits only.
 */
export function requireInputName(gate: ReleaseGate): string {
  return 'require' + gate.split('-').map((w) => w[0].toUpperCase() + w.slice(1)).join('');
}
