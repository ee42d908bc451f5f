import * as assert from 'node:assert/strict';
import { buildModelCard, MODEL_CARD_SCHEMA, renderModelCard } from '../../../../shared/explain/report/modelCard';
import { degenerateInput } from './degenerate';
import { EVIL_FEATURE, hostileInput, realisticInput } from './fixture';

describe('explain model card', () => {
  it('JSON: details, data, metrics with champion, top features, considerations, gate, lineage', () => {
    const card = buildModelCard(realisticInput());
    assert.equal(card.schema, MODEL_CARD_SCHEMA);
    assert.equal(card.modelDetails.name, 'credit-risk');
    assert.equal(card.modelDetails.version, '7');
    assert.match(card.modelDetails.sha256, /^[0-9a-f]{64}$/);
    assert.deepEqual(card.quantitativeAnalysis.headline, { metric: 'auc', value: realisticInput().explanation.metrics.auc });
    assert.equal(card.quantitativeAnalysis.champion?.metrics.auc, 0.861);
    assert.equal(card.explainability.topFeatures.length, 10);
    assert.equal(card.explainability.topFeatures[0].feature, 'age');
    assert.match(card.considerations.intendedUse ?? '', /human underwriter/);
    assert.equal(card.data.explainedRows, 160);
    assert.deepEqual(card.lineage.dataAssets, ['azureml:credit-train:3', 'azureml:credit-holdout:3']);
    assert.deepEqual(JSON.parse(JSON.stringify(card)), card, 'plain JSON');
  });

  it('numbers not computed become null, and the Markdown says "not computed"', () => {
    const input = degenerateInput();
    input.gate.failures.push({ check: 'metric-floor: auc', threshold: 'auc >= 0.8', value: NaN, message: 'AUC not computed' });
    const card = buildModelCard(input);
    assert.equal(card.quantitativeAnalysis.metrics.auc, null);
    assert.equal(card.quantitativeAnalysis.headline, null);
    assert.deepEqual(card.explainability.topFeatures, [{ feature: 'only', meanAbsShap: null, permutationImportance: null, permutationStd: null }]);
    assert.equal(card.gate.failures[1].value, null);
    const md = renderModelCard(card);
    assert.ok(!/NaN|null|undefined/.test(md), md);
    assert.match(md, /\| ROC AUC \| not computed \|/);
    assert.match(md, /- metric-floor: auc: auc &gt;= 0\.8, value not computed/);
    assert.match(md, /## Intended use\n\n_Not provided\._/);
    assert.match(md, /## Lineage\n\n_Not recorded\._/);
  });

  it('Markdown: sections in order, hostile strings escaped, only http(s) links', () => {
    const md = renderModelCard(buildModelCard(realisticInput()));
    let at = -1;
    for (const h of ['# Model card: credit-risk version 7', '## Model details', '## Intended use', '## Data', '## Quantitative analysis', '## Explainability', '## Considerations', '## Gate', '## Lineage']) {
      const i = md.indexOf(h);
      assert.ok(i > at, h);
      at = i;
    }
    const evil = renderModelCard(buildModelCard(hostileInput()));
    assert.ok(!evil.includes(EVIL_FEATURE) && !evil.includes('<script') && !evil.includes(`&'<`));
    assert.ok(!evil.includes('](javascript:'));
    assert.ok(evil.includes('(https://example.com/a%22b)'));
  });

  it('is deterministic', () => {
    assert.equal(JSON.stringify(buildModelCard(realisticInput())), JSON.stringify(buildModelCard(realisticInput())));
  });
});
