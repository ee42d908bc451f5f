import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { genericSecretDetector } from '../../../../shared/scan/detectors/generic';
import { randomBase62, randomFrom, randomHex } from './_generate';
import { expectNone, expectOne, run, runAll } from './_helpers';

/** A random password with every character class, as people and generators make them. */
const password = () => randomFrom('ABCDEFGHJKLMNPQRSTUVWXYZ', 3) + randomFrom('abcdefghijkmnopqrstuvwxyz', 5) + randomFrom('23456789', 3) + randomFrom('!#%&*+-=?@^', 2);
const token = () => randomBase62(32);

describe('generic secrets (secret-named assignments with a random literal)', () => {
  it('finds literals across languages and config formats', () => {
    const cases: Array<[string, (v: string) => string, () => string]> = [
      ['settings.py', (v) => `DATABASE_PASSWORD = "${v}"\n`, password],
      ['settings.py', (v) => `SECRET_KEY = '${v}'\n`, token],
      ['app.js', (v) => `const apiToken = '${v}';\n`, token],
      ['Program.cs', (v) => `var clientSecretValue = "${v}";\n`.replace('clientSecretValue', 'webhookSecret'), token],
      ['config.json', (v) => `{"auth": {"access_token": "${v}"}}`, token],
      ['values.yaml', (v) => `redis:\n  password: ${v}\n`, password],
      ['.env', (v) => `SMTP_PASSWORD=${v}\n`, password],
      ['app.properties', (v) => `jdbc.password=${v}\n`, password],
      ['config.ini', (v) => `[svc]\napi_key = ${v}\n`, token],
      ['main.tf', (v) => `  admin_password = "${v}"\n`, password],
      ['notebook.ipynb', (v) => `    "signing_key = \\"${v}\\"\\n",`, token],
    ];
    for (const [path, make, gen] of cases) {
      const v = gen();
      const text = make(v);
      const m = expectOne(run(genericSecretDetector, text, path), text, v, 'SEC-GEN-001');
      assert.equal(m.confidence, 'heuristic');
    }
  });

  const NEGATIVES: Array<[string, string, string]> = [
    // placeholders
    ['placeholder', 'config.yml', 'password: changeme\napi_key: "<your-api-key>"\ntoken: xxxxxxxxxxxxxxxx\nsecret: "********"\npassword: ""\n'],
    ['placeholder words', 'settings.py', 'API_KEY = "your-api-key-here"\nSECRET_KEY = "replace-me-in-production"\nPASSWORD = "TODO"\n'],
    // references
    ['pipeline and workflow variables', 'azure-pipelines.yml', 'password: $(dbPassword)\ntoken: ${{ secrets.TOKEN }}\napi_key: ${API_KEY}\nsecret: "%DB_SECRET%"\n'],
    ['Key Vault and templates', 'appsettings.json', '{"password": "@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/db/)", "token": "{{ vault_token }}", "secret": "https://kv.vault.azure.net/secrets/api/0123"}'],
    ['code expressions', 'train.py', 'password = get_password()\napi_key = os.environ["API_KEY"]\ntoken = args.token\nsecret: str = Field(default=None)\n'],
    // digests, UUIDs, git SHAs
    ['hashes', 'model.yaml', `password_hash: ${randomHex(64)}\ntoken_sha256: ${randomHex(64)}\nsecret_checksum: ${randomHex(40)}\ncommit_token: ${randomHex(40)}\n`],
    ['hex digests as values', 'app.py', `token = "${randomHex(40)}"\napi_key = "${randomHex(64)}"\n`],
    ['UUIDs', 'app.json', `{"api_key": "${crypto.randomUUID()}", "client_token": "${crypto.randomUUID()}"}`],
    // identifiers and names
    ['names, not secrets', 'app.py', 'token = "access_token"\nsecret_name = "prod-db-password"\npassword_field = "user_password"\nmax_tokens = 4096\ntokenizer = "bert-base-uncased"\nTOKEN_URL = "https://login.microsoftonline.com/t/oauth2/v2.0/token"\n'],
    ['weak or short values', 'app.py', 'password = "password123"\napi_key = "abc123"\ntoken = "1.0.0"\nsecret = "2024-01-01T00:00:00"\n'],
    ['paths and e-mail addresses', 'app.py', 'secret_path = "/var/run/secrets/tokens/api"\ntoken = "/mnt/secrets/token.txt"\nsecret = "ops-team@contoso.com"\n'],
    // images and minified code
    ['base64 images', 'theme.json', `{"token_icon": "data:image/png;base64,${randomBytes(300).toString('base64')}", "secret": "data:image/png;base64,${randomBytes(300).toString('base64')}"}`],
    ['minified code', 'vendor.min.js', 'var r={token:"Bearer ",apiKey:o.apiKey,password:s.password||""};function a(t){return t.secret=t.secret||e.secret,t}'],
  ];
  for (const [what, path, text] of NEGATIVES) {
    it(`ignores ${what}`, () => expectNone(run(genericSecretDetector, text, path), what));
  }

  it('lock files are skipped entirely', () => {
    const lock = JSON.stringify({ packages: { 'node_modules/x': { integrity: `sha512-${randomBytes(64).toString('base64')}`, resolved: 'https://registry.npmjs.org/x/-/x-1.0.0.tgz', token: token() } } });
    expectNone(run(genericSecretDetector, lock, 'package-lock.json'), 'package-lock.json');
    expectNone(run(genericSecretDetector, `token "${token()}"\n  integrity sha512-${randomBytes(64).toString('base64')}`, 'web/yarn.lock'), 'yarn.lock');
  });

  it('leaves names owned by precise detectors to them', () => {
    const v = token();
    expectNone(run(genericSecretDetector, `client_secret = "${v}"`), 'client_secret (mlCredentials)');
    expectNone(run(genericSecretDetector, `aws_secret_access_key = "${randomBase62(40)}"`), 'AWS secret key (aws)');
    assert.deepEqual(runAll(`client_secret = "${v}"`).map((m) => m.ruleId), ['SEC-AML-SP-001']);
  });

  it('leaves values with a dedicated detector to it', () => {
    const gh = `ghp_${randomBase62(36)}`;
    expectNone(run(genericSecretDetector, `token = "${gh}"`), 'GitHub-shaped token');
  });
});
