/**
 * Model versions the release gate must pass or fail, shared by the tests on canned responses and the tests
 * against the local Azure. Digests are made per run from random bytes (they are hashes, not secrets).
 */
import { createHash, randomBytes } from 'node:crypto';
import { digestTag, MODEL_DIGEST_TAG, RELEASE_GATES, statusTag, type ReleaseGate } from '../../shared/releaseGate/gates';

export function randomDigest(): string {
  return createHash('sha256').update(randomBytes(32)).digest('hex');
}

export interface GateCase {
  name: string;
  /** properties.tags of the model version; undefined: no tags member at all. */
  tags?: Record<string, string>;
  /** properties.properties (the asset's own, immutable key-value pairs). */
  properties?: Record<string, string>;
  /** Whether the criterion requiring every gate holds. */
  expected: boolean;
}

/** Tags of a model version every gate passed, with digest `d`. */
export function allPassed(d: string, gates: readonly ReleaseGate[] = RELEASE_GATES): Record<string, string> {
  const tags: Record<string, string> = { [MODEL_DIGEST_TAG]: d, owner: 'ml-platform', 'mlops-gates.run': '4711' };
  for (const g of gates) {
    tags[statusTag(g)] = 'passed';
    tags[digestTag(g)] = d;
  }
  return tags;
}

function without(tags: Record<string, string>, ...keys: string[]): Record<string, string> {
  const copy = { ...tags };
  for (const k of keys) delete copy[k];
  return copy;
}

/** The cases for a criterion that requires all three gates. */
export function gateCases(d: string, other: string): GateCase[] {
  const good = allPassed(d);
  return [
    { name: 'all gates passed, digests match', tags: good, expected: true },
    { name: 'a digest tag in upper-case hex (same digest)', tags: { ...good, [digestTag('security-gate')]: d.toUpperCase() }, expected: true },
    { name: 'one gate failed', tags: { ...good, [statusTag('security-gate')]: 'failed' }, expected: false },
    { name: 'one gate missing', tags: without(good, statusTag('endpoint-hardening-check')), expected: false },
    { name: "one gate's digest tag missing", tags: without(good, digestTag('explainability-report')), expected: false },
    { name: 'one digest different', tags: { ...good, [digestTag('endpoint-hardening-check')]: other }, expected: false },
    { name: 'status Passed (other case)', tags: { ...good, [statusTag('security-gate')]: 'Passed' }, expected: false },
    { name: "status 'passed ' (trailing space)", tags: { ...good, [statusTag('security-gate')]: 'passed ' }, expected: false },
    { name: 'no tags at all', tags: undefined, expected: false },
    { name: 'an empty tag set', tags: {}, expected: false },
    { name: 'model digest missing', tags: without(good, MODEL_DIGEST_TAG), expected: false },
    { name: 'model digest empty', tags: { ...good, [MODEL_DIGEST_TAG]: '' }, expected: false },
    {
      name: 'statuses passed but no digest tags anywhere (null must not equal null)',
      tags: without(good, MODEL_DIGEST_TAG, ...RELEASE_GATES.map(digestTag)),
      expected: false,
    },
    {
      name: 'failed in tags, passed in the asset properties',
      tags: { ...good, [statusTag('security-gate')]: 'failed' },
      properties: { [statusTag('security-gate')]: 'passed', tags: 'x' },
      expected: false,
    },
  ];
}

/** A model version resource as ARM returns it (2022-10-01 and later shape). */
export function modelVersionBody(name: string, version: string, c: Pick<GateCase, 'tags' | 'properties'>): Record<string, unknown> {
  const properties: Record<string, unknown> = {
    description: `model ${name}`,
    properties: { framework: 'onnx', ...c.properties },
    isAnonymous: false,
    flavors: { python_function: { data: { loader_module: 'mlflow.onnx' } } },
    modelType: 'custom_model',
    modelUri: `azureml://datastores/workspaceblobstore/paths/models/${name}/${version}/`,
  };
  if (c.tags !== undefined) properties.tags = c.tags;
  return {
    id: `/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/w/models/${name}/versions/${version}`,
    name: version,
    type: 'Microsoft.MachineLearningServices/workspaces/models/versions',
    properties,
    systemData: { createdAt: '2026-11-01T10:00:00Z', createdBy: 'pipeline', createdByType: 'Application' },
  };
}
