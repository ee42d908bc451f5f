/**
 * A generated repository-like corpus with one secret of every kind planted in the kind of file it lives in
 * (code, YAML, .env, notebook JSON with the secret in an output only, Dockerfile, shell, Markdown) and
 * look-alikes around them. Every planted secret is found exactly once with its rule, nothing else is found,
 * and no message carries any piece of any planted value.
 */
import * as assert from 'node:assert/strict';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { adoLegacyPat, caskKey, crc32Token, entraSecret, hisV1Key, jwt, legacyStorageKey, randomBase62, randomFrom, randomHex, sharedAccessKey } from './_generate';
import { assertNoValueIn, runAll } from './_helpers';

interface Plant {
  path: string;
  text: string;
  secrets: Array<[value: string, ruleId: string]>;
}

function corpus(): Plant[] {
  const B64URL = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_';
  const storage = hisV1Key('+ASt', 64, 'Default0');
  const legacy = legacyStorageKey();
  const sb = sharedAccessKey();
  const entra = entraSecret();
  const pat = caskKey('AZDO', 'AAAS');
  const oldPat = adoLegacyPat();
  const openai = caskKey('ACOG', 'AAAB');
  const gh = crc32Token('ghp_');
  const pem = generateKeyPairSync('ec', { namedCurve: 'P-256', publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } }).privateKey.trimEnd();
  const sig = encodeURIComponent(randomBytes(32).toString('base64'));
  const token = jwt({ sub: 'scorer', exp: 1900000000 });
  const pw = 'Vq8' + randomFrom('abcdefghjkmnpqrstuvwxyz', 6) + randomFrom('0123456789', 3) + '#!';
  const spSecret = randomFrom('abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', 34);
  const hf = 'hf_' + randomFrom('abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ', 34);
  const slackHook = randomBase62(24);
  const dbx = 'dapi' + randomHex(32);
  const notebookOutput = JSON.stringify({
    cells: [
      { cell_type: 'code', source: ['import os\n', 'print(os.environ["CONN"])\n'], outputs: [{ output_type: 'stream', name: 'stdout', text: [`DefaultEndpointsProtocol=https;AccountName=mlws;AccountKey=${legacy};EndpointSuffix=core.windows.net\n`] }] },
      { cell_type: 'code', source: ['show(df)'], outputs: [{ output_type: 'display_data', data: { 'image/png': randomBytes(600).toString('base64'), 'text/plain': ['<Figure>'] } }] },
    ],
  }, null, 1);
  return [
    { path: 'src/train.py', text: `import os\nfrom azure.identity import ClientSecretCredential\n\nSTORAGE = "${storage}"\ncred = ClientSecretCredential(tenant, client, "${spSecret}")\nmodel_md5 = "${randomHex(32)}"\nrun_id = "${crypto.randomUUID()}"\n`, secrets: [[storage, 'SEC-AZ-STORAGE-001'], [spSecret, 'SEC-AML-SP-001']] },
    { path: 'notebooks/explore.ipynb', text: notebookOutput, secrets: [[legacy, 'SEC-AZ-STORAGE-002']] },
    { path: 'config/app.env', text: `ENTRA_SECRET=${entra}\nSMTP_PASSWORD=${pw}\nLOG_LEVEL=debug\nAZURE_CLIENT_SECRET=$(spSecret)\n`, secrets: [[entra, 'SEC-AZ-ENTRA-001'], [pw, 'SEC-GEN-001']] },
    { path: 'pipelines/deploy.yml', text: `variables:\n  sbConnection: "Endpoint=sb://ml-events.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=${sb}"\nsteps:\n- script: git clone https://x:${pat}@dev.azure.com/org/p/_git/r\n- script: curl "https://mlws.blob.core.windows.net/m/model.pkl?sv=2022-11-02&sr=b&sp=r&se=2030-01-01T00:00:00Z&sig=${sig}"\n`, secrets: [[sb, 'SEC-AZ-SHAREDKEY-001'], [pat, 'SEC-AZ-DEVOPS-001'], [sig, 'SEC-AZ-SAS-001']] },
    { path: 'scripts/setup.sh', text: `#!/bin/sh\nexport AZURE_DEVOPS_EXT_PAT=${oldPat}\nexport GITHUB_TOKEN=${gh}\ncurl -X POST https://hooks.slack.com/services/T0123ABCD/B0456EFGH/${slackHook}\n`, secrets: [[oldPat, 'SEC-AZ-DEVOPS-002'], [gh, 'SEC-GH-001'], [slackHook, 'SEC-SLACK-001']] },
    { path: 'score/score.js', text: `const key = "${openai}";\nconst auth = "Bearer ${token}";\nconst sri = "sha512-${randomBytes(64).toString('base64')}";\n`, secrets: [[openai, 'SEC-AZ-COGNITIVE-001'], [token, 'SEC-JWT-001']] },
    { path: 'deploy/Dockerfile', text: `FROM python:3.11\nENV HF_TOKEN=${hf}\nENV DATABRICKS_HOST=https://adb-1.azuredatabricks.net\nRUN echo ${dbx} > /root/.databrickscfg\n`, secrets: [[hf, 'SEC-HF-001'], [dbx, 'SEC-AZ-DATABRICKS-001']] },
    { path: 'docs/signing.md', text: `# Signing\n\nDo not do this:\n\n\`\`\`\n${pem}\n\`\`\`\n\nUse Key Vault. Example key: \`-----BEGIN PRIVATE KEY-----\\nMIIE...\\n-----END PRIVATE KEY-----\`\n`, secrets: [[pem, 'SEC-PK-001']] },
    { path: 'package-lock.json', text: JSON.stringify({ packages: { 'node_modules/a': { integrity: `sha512-${randomBytes(64).toString('base64')}`, resolved: 'https://registry.npmjs.org/a/-/a-1.0.0.tgz' } } }), secrets: [] },
    { path: 'web/assets.json', text: JSON.stringify({ logo: `data:image/png;base64,${randomBytes(900).toString('base64')}`, token_icon: `data:image/svg+xml;base64,${randomBytes(300).toString('base64')}`, id: randomFrom(B64URL, 40) }), secrets: [] },
  ];
}

describe('corpus: every planted secret once, nothing else, no value in any message', () => {
  for (let round = 0; round < 5; round++) {
    it(`round ${round + 1}`, () => {
      const files = corpus();
      const planted = files.flatMap((f) => f.secrets.map(([v]) => v));
      for (const f of files) {
        const found = runAll(f.text, f.path);
        const got = found.map((m) => [f.text.slice(m.start, m.end), m.ruleId]);
        assert.deepEqual(got.map(([, r]) => r).sort(), f.secrets.map(([, r]) => r).sort(), `${f.path}: rules`);
        for (const [value, ruleId] of f.secrets) {
          assert.ok(got.some(([v, r]) => r === ruleId && (v === value || (ruleId === 'SEC-PK-001' && value.includes(v)))), `${f.path}: ${ruleId} covers its value`);
        }
        for (const m of found) for (const v of planted) assertNoValueIn(m.message, v);
      }
    });
  }
});
