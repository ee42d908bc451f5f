import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { githubDetector } from '../../../../shared/scan/detectors/github';
import { gitlabDetector } from '../../../../shared/scan/detectors/gitlab';
import { slackDetector } from '../../../../shared/scan/detectors/slack';
import { stripeDetector } from '../../../../shared/scan/detectors/stripe';
import { npmDetector } from '../../../../shared/scan/detectors/npm';
import { pypiDetector } from '../../../../shared/scan/detectors/pypi';
import { huggingFaceDetector } from '../../../../shared/scan/detectors/huggingface';
import { openAiDetector } from '../../../../shared/scan/detectors/openai';
import { anthropicDetector } from '../../../../shared/scan/detectors/anthropic';
import { sendGridDetector } from '../../../../shared/scan/detectors/sendgrid';
import { twilioDetector } from '../../../../shared/scan/detectors/twilio';
import { awsDetector } from '../../../../shared/scan/detectors/aws';
import { gcpDetector } from '../../../../shared/scan/detectors/gcp';
import { jwtDetector } from '../../../../shared/scan/detectors/jwt';
import { urlCredentialsDetector } from '../../../../shared/scan/detectors/urlCredentials';
import { adoLegacyPat, crc32Token, flipChar, jwt, randomBase62, randomBase64, randomFrom, randomHex } from './_generate';
import { expectNone, expectOne, run, runAll } from './_helpers';

const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
const B64URL = LETTERS + '0123456789-_';
const B32U = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

describe('GitHub tokens', () => {
  it('classic tokens with a valid CRC32 checksum are verified; a changed character is not reported', () => {
    for (const prefix of ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_']) {
      for (let i = 0; i < 10; i++) {
        const t = crc32Token(prefix);
        const text = `GITHUB_TOKEN=${t}\n`;
        assert.equal(expectOne(run(githubDetector, text), text, t, 'SEC-GH-001').confidence, 'verified');
        expectNone(run(githubDetector, flipChar(t, 8)), `${prefix} with a changed character`);
      }
    }
  });

  it('severity follows the token kind', () => {
    assert.equal(run(githubDetector, crc32Token('ghp_'))[0].severity, undefined);
    assert.equal(run(githubDetector, crc32Token('ghs_'))[0].severity, 'medium');
  });

  it('fine-grained tokens by shape; look-alikes are ignored', () => {
    const t = `github_pat_${randomBase62(22)}_${randomBase62(59)}`;
    expectOne(run(githubDetector, `token: ${t}`), `token: ${t}`, t, 'SEC-GH-001');
    expectNone(run(githubDetector, `ghp_${randomBase62(35)}`), 'one short');
    expectNone(run(githubDetector, `ghp_${randomBase62(37)}`), 'one long');
    expectNone(run(githubDetector, 'ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'), 'placeholder');
    expectNone(run(githubDetector, 'const ghp_count = 3; gho_thing()'), 'identifiers');
  });
});

describe('GitLab, Slack, Stripe, npm, PyPI, Hugging Face, OpenAI, Anthropic, SendGrid tokens', () => {
  it('GitLab tokens, including routable ones', () => {
    const t = 'glpat-' + randomFrom(B64URL, 20);
    expectOne(run(gitlabDetector, `CI_TOKEN="${t}"`), `CI_TOKEN="${t}"`, t, 'SEC-GL-001');
    const routable = 'glpat-' + randomFrom(B64URL, 27) + '.01.' + randomFrom('abcdefghijklmnopqrstuvwxyz0123456789', 9);
    expectOne(run(gitlabDetector, routable), routable, routable, 'SEC-GL-001');
    expectNone(run(gitlabDetector, 'glpat-xxxxxxxxxxxxxxxxxxxx'), 'placeholder');
    expectNone(run(gitlabDetector, 'glpat-short'), 'short');
  });

  it('Slack tokens and webhooks', () => {
    const bot = `xoxb-${randomFrom('0123456789', 11)}-${randomFrom('0123456789', 13)}-${randomBase62(24)}`;
    expectOne(run(slackDetector, `SLACK_BOT_TOKEN=${bot}`), `SLACK_BOT_TOKEN=${bot}`, bot, 'SEC-SLACK-001');
    const secret = randomBase62(24);
    const hook = `https://hooks.slack.com/services/T${randomFrom(B32U, 10)}/B${randomFrom(B32U, 10)}/${secret}`;
    expectOne(run(slackDetector, hook), hook, secret, 'SEC-SLACK-001');
    // A run of six equal digits in an id is chance, not fill (a generated bench token was missed for it).
    const runInId = `xoxb-${randomFrom('0123456789', 11)}-8587777772827-${randomBase62(24)}`;
    expectOne(run(slackDetector, `token = "${runInId}"`), `token = "${runInId}"`, runInId, 'SEC-SLACK-001');
    expectNone(run(slackDetector, 'token = "xoxb-123456789012-123456789012-xxxxxxxxxxxxxxxxxxxxxxxx"'), 'placeholder tail');
    expectNone(run(slackDetector, 'token = "xoxb-your-bot-token-here"'), 'placeholder');
    expectNone(run(slackDetector, 'xoxo hugs'), 'prose');
  });

  it('Stripe live keys; test keys ignored', () => {
    const k = 'sk_live_' + randomBase62(24);
    expectOne(run(stripeDetector, `stripe.api_key = "${k}"`), `stripe.api_key = "${k}"`, k, 'SEC-STRIPE-001');
    expectNone(run(stripeDetector, 'sk_test_' + randomBase62(24)), 'test key');
  });

  it('npm tokens with checksum, and .npmrc _authToken lines', () => {
    const t = crc32Token('npm_');
    expectOne(run(npmDetector, `//registry.npmjs.org/:_authToken=${t}\n`), `//registry.npmjs.org/:_authToken=${t}\n`, t, 'SEC-NPM-001');
    expectNone(run(npmDetector, flipChar(t, 9)), 'changed character');
    const legacy = crypto.randomUUID();
    const rc = `//pkgs.dev.azure.com/org/_packaging/feed/npm/registry/:_authToken=${legacy}\n`;
    assert.equal(expectOne(run(npmDetector, rc), rc, legacy, 'SEC-NPM-001').severity, 'high');
    expectNone(run(npmDetector, '//registry.npmjs.org/:_authToken=${NPM_TOKEN}\n'), 'reference');
  });

  it('PyPI and TestPyPI tokens', () => {
    const t = 'pypi-AgEIcHlwaS5vcmc' + randomFrom(B64URL, 120);
    expectOne(run(pypiDetector, `password = ${t}`), `password = ${t}`, t, 'SEC-PYPI-001');
    const test = 'pypi-AgENdGVzdC5weXBpLm9yZw' + randomFrom(B64URL, 120);
    assert.equal(run(pypiDetector, test)[0].severity, 'medium');
    expectNone(run(pypiDetector, 'pypi-AgEIcHlwaS5vcmc'), 'prefix only');
  });

  it('Hugging Face tokens; function names are not tokens', () => {
    const t = 'hf_' + randomFrom(LETTERS, 34);
    expectOne(run(huggingFaceDetector, `HF_TOKEN=${t}`), `HF_TOKEN=${t}`, t, 'SEC-HF-001');
    expectNone(run(huggingFaceDetector, 'from huggingface_hub import hf_hub_download, hf_api_client_getter_func'), 'identifiers');
    expectNone(run(huggingFaceDetector, 'hf_abcdefghijklmnopqrstuvwxyzabcdefgh'), 'lower-case alphabet');
  });

  it('OpenAI keys need the T3BlbkFJ marker and an sk- start', () => {
    const legacy = `sk-${randomBase62(20)}T3BlbkFJ${randomBase62(20)}`;
    expectOne(run(openAiDetector, `openai.api_key = "${legacy}"`), `openai.api_key = "${legacy}"`, legacy, 'SEC-OPENAI-001');
    const proj = `sk-proj-${randomFrom(B64URL, 74)}T3BlbkFJ${randomFrom(B64URL, 74)}`;
    assert.match(expectOne(run(openAiDetector, proj), proj, proj, 'SEC-OPENAI-001').message, /project/u);
    expectNone(run(openAiDetector, `class="sk-${randomBase62(40)}"`), 'sk- without the marker (and no anchor)');
    expectNone(run(openAiDetector, `x${randomBase62(20)}T3BlbkFJ${randomBase62(20)}`), 'marker without sk-');
  });

  it('Anthropic and SendGrid keys', () => {
    const a = `sk-ant-api03-${randomFrom(B64URL, 93)}AA`;
    expectOne(run(anthropicDetector, a), a, a, 'SEC-ANTHROPIC-001');
    const sg = `SG.${randomFrom(B64URL, 22)}.${randomFrom(B64URL, 43)}`;
    expectOne(run(sendGridDetector, `SENDGRID_API_KEY='${sg}'`), `SENDGRID_API_KEY='${sg}'`, sg, 'SEC-SENDGRID-001');
    expectNone(run(sendGridDetector, 'SG.name.value'), 'short');
  });
});

describe('Twilio, AWS, Google Cloud, JWT', () => {
  it('Twilio auth tokens only in files that mention Twilio', () => {
    const tok = randomHex(32);
    const text = `from twilio.rest import Client\nTWILIO_AUTH_TOKEN = "${tok}"\n`;
    expectOne(run(twilioDetector, text), text, tok, 'SEC-TWILIO-001');
    const pos = `client = twilio.rest.Client("AC${randomHex(32)}", "${tok}")`;
    expectOne(run(twilioDetector, pos), pos, tok, 'SEC-TWILIO-001');
    expectNone(run(twilioDetector, `AUTH_TOKEN = "${tok}"\n`), 'no Twilio in the file');
  });

  it('AWS access key IDs and secret keys; documentation examples ignored', () => {
    const id = 'AKIA' + randomFrom(B32U, 16);
    expectOne(run(awsDetector, `aws_access_key_id = ${id}`, 'config/credentials'), `aws_access_key_id = ${id}`, id, 'SEC-AWS-001');
    const secret = randomBase64(40);
    const ini = `[default]\naws_secret_access_key = ${secret}\n`;
    expectOne(run(awsDetector, ini, '.aws/credentials'), ini, secret, 'SEC-AWS-002');
    const ex = ['AKIAIOSF', 'ODNN7EXAMPLE'].join('');
    expectNone(run(awsDetector, `key = "${ex}"`), 'documented example id');
    expectNone(run(awsDetector, 'aws_secret_access_key = os.environ["AWS_SECRET_ACCESS_KEY"]'), 'reference');
    assert.equal(run(awsDetector, 'ASIA' + randomFrom(B32U, 16))[0].severity, 'medium');
  });

  it('Google API keys', () => {
    const k = 'AIza' + randomFrom(B64URL, 35);
    expectOne(run(gcpDetector, `const firebase = { apiKey: "${k}" };`), `const firebase = { apiKey: "${k}" };`, k, 'SEC-GCP-002');
    expectNone(run(gcpDetector, 'AIza' + randomFrom(B64URL, 30)), 'short');
  });

  it('JWTs are low, say when they expire, and unsigned ones are ignored', () => {
    const live = jwt({ sub: 'svc', exp: Math.floor(Date.UTC(2030, 0, 1) / 1000) });
    const m = expectOne(run(jwtDetector, `Authorization: Bearer ${live}`), `Authorization: Bearer ${live}`, live, 'SEC-JWT-001');
    assert.match(m.message, /expires 2030-01-01/u);
    assert.match(run(jwtDetector, jwt({ sub: 'x', exp: 1500000000 }))[0].message, /expired 2017/u);
    const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    expectNone(run(jwtDetector, `${enc({ alg: 'none' })}.${enc({ sub: 'x' })}.`), 'unsigned');
    expectNone(run(jwtDetector, `eyJhbGciOiJIUzI1NiJ9.notjson.${randomBase62(30)}`), 'payload is not JSON');
  });
});

describe('credentials in URLs', () => {
  it('passwords in connection URIs and remotes', () => {
    const pw = 'Zt9' + randomBase62(14);
    const uri = `DATABASE_URL=postgresql://trainer:${pw}@ml-db.postgres.database.azure.com:5432/features`;
    expectOne(run(urlCredentialsDetector, uri), uri, pw, 'SEC-URL-001');
    const local = `mongodb://root:${pw}@localhost:27017`;
    assert.equal(run(urlCredentialsDetector, local)[0].severity, 'low');
  });

  it('a PAT as the password of an Azure Repos remote is reported once, by the PAT detector', () => {
    const pat = adoLegacyPat();
    const remote = `git remote add origin https://build:${pat}@dev.azure.com/org/proj/_git/repo`;
    assert.deepEqual(runAll(remote).map((m) => m.ruleId), ['SEC-AZ-DEVOPS-002']);
  });

  it('look-alikes: placeholders, references, format strings, no password', () => {
    for (const u of ['postgresql://user:password@db.example.org/x', 'https://user:${PASSWORD}@host.contoso.com', 'amqp://guest:guest@rabbit.contoso.com', 'mysql://{user}:{password}@host.contoso.com/db', 'https://%s:%s@host.contoso.com', 'ssh://git@github.com/org/repo', 'https://user:****@host.contoso.com']) {
      expectNone(run(urlCredentialsDetector, u), u);
    }
  });

  it('a random binary-looking blob with :// does not hang or match', () => {
    expectNone(run(urlCredentialsDetector, ('://' + randomBytes(8).toString('hex') + '@').repeat(2000)), 'flood');
  });
});
