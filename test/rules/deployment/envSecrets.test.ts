/**
 * What the environment-variable secret check must never do: put the value in a finding. Values are generated
 * per run; the assertion is on the exact value and on its leading characters, which a careless message
 * ("starts with ghp_abc…") would leak.
 */
import * as assert from 'node:assert/strict';
import { rule as onlineRule } from '../../../shared/rules/deployment/envSecrets';
import { rule as batchRule } from '../../../shared/rules/batch/envSecrets';
import { asOutcomes } from '../../../shared/rules/engine';
import { nameSaysSecret, looksLikeLiteralSecret } from '../../../shared/rules/deployment/_envSecrets';
import { findSecretsInText } from '../../../shared/scan/textSecrets';
import type { ArmResource, RuleOutcome } from '../../../shared/rules/types';
import { baseInventory, batchDeployment, onlineDeployment } from '../fixtures';
import { githubToken, literalPassword, lowercasePassphrase, signedJwt, storageConnectionString } from './_secrets';

function run(rule: typeof onlineRule, r: ArmResource): Array<Extract<RuleOutcome, { status: 'fail' }>> {
  return asOutcomes(rule.check(r, { inventory: baseInventory(), now: new Date('2026-06-01T00:00:00Z'), options: {} }))
    .filter((o): o is Extract<RuleOutcome, { status: 'fail' }> => o.status === 'fail');
}

describe('environment variable secrets (AML-OD-003, AML-BD-002)', () => {
  const values = { UPSTREAM_STORE: storageConnectionString(), GH_TOKEN: githubToken(), SERVICE_BEARER: signedJwt(), SQL_PWD: literalPassword(), APP_PASSPHRASE: lowercasePassphrase() };

  for (const [label, make] of [
    ['online', (v: Record<string, string>) => onlineDeployment('ep', 'blue', { environmentVariables: v })],
    ['batch', (v: Record<string, string>) => batchDeployment('bep', 'nightly', { environmentVariables: v })],
  ] as const) {
    it(`${label}: one finding per variable, naming the variable and the detector, never the value`, () => {
      const rule = label === 'online' ? onlineRule : batchRule;
      const fails = run(rule, make(values));
      assert.deepEqual(fails.map((f) => f.path).sort(), Object.keys(values).map((k) => `properties.environmentVariables.${k}`).sort());
      const text = JSON.stringify(fails);
      for (const [name, value] of Object.entries(values)) {
        const f = fails.find((x) => x.path === `properties.environmentVariables.${name}`)!;
        assert.match(f.message, new RegExp(`"${name}"`));
        assert.ok(!text.includes(value), `the value of ${name} reached a finding`);
        // The secret part alone (the key inside the connection string, the token body) must not leak either.
        const secretPart = name === 'UPSTREAM_STORE' ? /AccountKey=([^;]+)/u.exec(value)![1] : value;
        assert.ok(!text.includes(secretPart.slice(0, 12)), `the start of ${name}'s secret reached a finding`);
      }
      assert.match(fails.find((f) => f.path?.endsWith('.GH_TOKEN'))!.message, /GitHub/u);
      assert.match(fails.find((f) => f.path?.endsWith('.SQL_PWD'))!.message, /SEC-GEN-001/u);
      assert.match(fails.find((f) => f.path?.endsWith('.APP_PASSPHRASE'))!.message, /secret-sounding name/u);
    });
  }

  it('findSecretsInText reports detector ids and offsets of the secret, and nothing for clean text', () => {
    const token = githubToken();
    const text = `GH_TOKEN="${token}"`;
    const hits = findSecretsInText(text, 'environmentVariables/GH_TOKEN');
    assert.equal(hits.length, 1);
    assert.equal(text.slice(hits[0].start, hits[0].end), token);
    assert.match(hits[0].ruleId, /^SEC-/u);
    assert.ok(!JSON.stringify({ ...hits[0], start: 0, end: 0 }).includes(token.slice(4)));
    assert.deepEqual(findSecretsInText('LOG_LEVEL="INFO"', 'environmentVariables/LOG_LEVEL'), []);
    assert.deepEqual(findSecretsInText('', 'x'), []);
  });

  it('the name heuristic separates secrets from names that describe them', () => {
    for (const n of ['DB_PASSWORD', 'clientSecret', 'AZURE_CLIENT_SECRET', 'HF_TOKEN', 'OPENAI_API_KEY', 'STORAGE_KEY', 'SAS', 'sqlConnectionString']) {
      assert.ok(nameSaysSecret(n), n);
    }
    for (const n of ['SECRET_NAME', 'TOKEN_URL', 'MAX_TOKENS', 'TOKENIZERS_PARALLELISM', 'PARTITION_KEYS', 'KEY_VAULT_URI', 'LOG_LEVEL']) {
      assert.ok(!nameSaysSecret(n), n);
    }
    assert.ok(looksLikeLiteralSecret(literalPassword()) && looksLikeLiteralSecret(lowercasePassphrase()));
    for (const v of ['changeme', 'true', '12345678', '${SQL_PASSWORD}', 'https://kv-ml.vault.azure.net/secrets/sql', 'scoring-client-secret']) {
      assert.ok(!looksLikeLiteralSecret(v), v);
    }
  });
});
