import * as assert from 'node:assert/strict';
import { MODEL_DIGEST_TAG } from '../../../shared/evidence/tags';
import { planPromotion, PROMOTED_BY, PROMOTED_FROM, type PlanInput } from '../../../shared/gates/promote/plan';

const D = 'a'.repeat(64);
const base = (): PlanInput => ({
  source: {
    subscriptionId: 's', resourceGroup: 'rg', workspace: 'w', name: 'm', version: '2', assetId: '/x/models/m/versions/2', digest: D, fileCount: 2, jobName: 'job1',
    tags: { stage: 'candidate', owner: 'risk', 'mlops-gates.security-gate': 'stale-claim' },
  },
  target: { kind: 'registry', name: 'reg', model: 'm', version: '2' },
  bundleModel: { name: 'm', version: '2', assetId: '/x/models/m/versions/2' },
  verification: { ok: true, failures: [], gates: { SecurityGate: { verdict: 'passed', finishedAt: '2026-01-01T00:00:00Z', keyid: 'k', envelopeDigest: 'e'.repeat(64), modelDigest: D, envelope: 1 } } },
  stageTag: { key: 'stage', value: 'production' },
  promotion: { by: 'app-id', at: '2026-01-02T00:00:00Z', runUrl: 'https://dev.azure.com/o/p/_build/results?buildId=1' },
});

describe('promote plan', () => {
  it('writes by reference to a registry with evidence tags, the stage and the promotion record', () => {
    const p = planPromotion(base());
    assert.equal(p.kind, 'write');
    if (p.kind !== 'write') return;
    assert.equal(p.action, 'promoted-by-reference');
    assert.equal(p.modelUri, 'azureml://subscriptions/s/resourcegroups/rg/workspaces/w/models/m/versions/2');
    assert.equal(p.tags.stage, 'production');
    assert.equal(p.tags.owner, 'risk');
    assert.equal(p.tags[MODEL_DIGEST_TAG], D);
    assert.equal(p.tags['mlops-gates.security-gate'], 'passed', 'evidence tags come from the verified bundle, not the source tags');
    assert.equal(p.properties[PROMOTED_BY], 'app-id');
    assert.equal(p.properties[PROMOTED_FROM], '/x/models/m/versions/2');
    assert.ok(p.changes.some((c) => c === 'tag stage = production'));
  });

  it('a workspace target is a copy without a reference uri', () => {
    const i = base();
    i.target.kind = 'workspace';
    const p = planPromotion(i);
    assert.equal(p.kind === 'write' && p.action, 'copied');
    assert.equal(p.kind === 'write' && p.modelUri, undefined);
  });

  it('refuses with every verification failure', () => {
    const i = base();
    i.verification = { ok: false, failures: [{ code: 'bad-signature', message: 'sig x' }, { code: 'stale', message: 'old' }], gates: {} };
    const p = planPromotion(i);
    assert.equal(p.kind, 'refuse');
    assert.deepEqual(p.kind === 'refuse' && p.reasons, ['evidence does not verify (bad-signature): sig x', 'evidence does not verify (stale): old']);
  });

  it('refuses a bundle about another model version', () => {
    const i = base();
    i.bundleModel = { ...i.bundleModel, version: '1' };
    const p = planPromotion(i);
    assert.equal(p.kind, 'refuse');
    assert.match(p.kind === 'refuse' ? p.reasons[0] : '', /about m:1, not the source m:2/);
  });

  it('the same digest at the target is a no-op; another digest, or none, is refused', () => {
    const same = base();
    same.target.existing = { tags: { [MODEL_DIGEST_TAG]: D } };
    assert.equal(planPromotion(same).kind, 'noop');
    const other = base();
    other.target.existing = { tags: { [MODEL_DIGEST_TAG]: 'b'.repeat(64) } };
    const p = planPromotion(other);
    assert.equal(p.kind, 'refuse');
    assert.match(p.kind === 'refuse' ? p.reasons[0] : '', /already exists with model digest b{64}/);
    const none = base();
    none.target.existing = { tags: {} };
    assert.equal(planPromotion(none).kind, 'refuse');
  });
});
