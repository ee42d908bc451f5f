import * as assert from 'node:assert/strict';
import { azureCaskDetector } from '../../../../shared/scan/detectors/azureCask';
import { caskChecksumValid } from '../../../../shared/scan/detectors/_cask';
import { azureEntraDetector, entraChecksumValid } from '../../../../shared/scan/detectors/azureEntra';
import { adoLegacyPatKind, azureDevOpsLegacyPatDetector } from '../../../../shared/scan/detectors/azureDevOpsLegacy';
import { azureDatabricksDetector } from '../../../../shared/scan/detectors/azureDatabricks';
import { azureDataFactoryDetector } from '../../../../shared/scan/detectors/azureDataFactory';
import { adoLegacyPat, caskKey, entraLegacySecret, entraSecret, flipChar, randomBase62, randomBase64, randomHex } from './_generate';
import { expectNone, expectOne, run } from './_helpers';

describe('Azure CASK keys (new DevOps PATs, AI services, other providers)', () => {
  it('generated Azure DevOps PATs verify and are critical', () => {
    for (let i = 0; i < 20; i++) {
      const pat = caskKey('AZDO', 'AAAS');
      assert.ok(caskChecksumValid(pat));
      const text = `git clone https://build:${pat}@dev.azure.com/org/proj/_git/repo`;
      const m = expectOne(run(azureCaskDetector, text), text, pat, 'SEC-AZ-DEVOPS-001');
      assert.equal(m.confidence, 'verified');
      assert.equal(m.severity, undefined);
    }
  });

  it('Azure OpenAI / AI services keys name the service from the provider data', () => {
    const openai = caskKey('ACOG', 'AAAB');
    assert.match(run(azureCaskDetector, `AZURE_OPENAI_API_KEY=${openai}`)[0].message, /Azure OpenAI key/u);
    const multi = caskKey('ACOG', 'AAAA');
    assert.match(run(azureCaskDetector, `key: "${multi}"`)[0].message, /Azure AI services \(multi-service\) key/u);
    const speech = caskKey('ACOG', 'AAAY');
    assert.match(run(azureCaskDetector, speech)[0].message, /Speech key/u);
  });

  it('other providers need a valid checksum; unknown providers too', () => {
    const eg = caskKey('AZEG');
    assert.equal(run(azureCaskDetector, eg)[0].ruleId, 'SEC-AZ-CASK-001');
    expectNone(run(azureCaskDetector, flipChar(eg, 10)), 'Event Grid CASK key with a changed character');
    const unknown = caskKey('ZZZZ');
    assert.equal(run(azureCaskDetector, unknown).length, 1);
    expectNone(run(azureCaskDetector, flipChar(unknown, 10)), 'unknown provider, bad checksum');
  });

  it('a DevOps PAT layout with a bad checksum is reported as unverified, at medium', () => {
    const pat = flipChar(caskKey('AZDO'), 7);
    const m = run(azureCaskDetector, pat);
    assert.equal(m.length, 1);
    assert.equal(m[0].severity, 'medium');
    assert.equal(m[0].confidence, 'context');
    assert.match(m[0].message, /does not verify/u);
  });

  it('look-alikes: wrong offsets, lengths, hashed-data keys, month out of range', () => {
    const pat = caskKey('AZDO');
    expectNone(run(azureCaskDetector, 'x' + pat), 'one more character in front');
    expectNone(run(azureCaskDetector, pat + 'x'), 'one more character behind');
    expectNone(run(azureCaskDetector, pat.slice(1)), 'one character short');
    expectNone(run(azureCaskDetector, pat.slice(0, 56) + '9H' + pat.slice(58)), 'hashed data marker (JQQJ9H)');
    expectNone(run(azureCaskDetector, pat.slice(0, 59) + 'Z' + pat.slice(60)), 'month Z');
    expectNone(run(azureCaskDetector, randomBase62(52) + 'JQQJ' + randomBase62(28)), 'random text around JQQJ with no provider signature and no valid checksum');
  });
});

describe('Microsoft Entra ID client secrets', () => {
  it('the published 8Q~ vector verifies (built by code from repeated letters)', () => {
    const v = 'zzz8Q~' + 'z'.repeat(31) + 'blP';
    assert.ok(entraChecksumValid(v));
    expectOne(run(azureEntraDetector, `secret=${v}`), `secret=${v}`, v, 'SEC-AZ-ENTRA-001');
  });

  it('generated 8Q~ secrets are found; a changed character is not', () => {
    for (let i = 0; i < 30; i++) {
      const s = entraSecret();
      const text = `client_secret: "${s}"`;
      assert.equal(expectOne(run(azureEntraDetector, text), text, s, 'SEC-AZ-ENTRA-001').confidence, 'verified');
      expectNone(run(azureEntraDetector, `client_secret: "${flipChar(s, 10)}"`), '8Q~ secret with a changed character');
    }
  });

  it('7Q~ secrets (no checksum) are high unless they are placeholders', () => {
    const s = entraLegacySecret();
    expectOne(run(azureEntraDetector, `pwd=${s}\n`), `pwd=${s}\n`, s, 'SEC-AZ-ENTRA-002');
    expectNone(run(azureEntraDetector, 'yyy7Q~' + 'y'.repeat(31)), 'repeated-character placeholder');
  });

  it('wrong lengths and glued text are not secrets', () => {
    const s = entraSecret();
    expectNone(run(azureEntraDetector, s + 'a'), 'one character longer');
    expectNone(run(azureEntraDetector, 'a' + s), 'one character before');
    expectNone(run(azureEntraDetector, 'see 8Q~ and 7Q~ in the docs'), 'signatures alone');
  });
});

describe('Azure DevOps PATs of the 52-character format', () => {
  it('generated user and application tokens verify; look-alikes do not', () => {
    for (const kind of ['user', 'app'] as const) {
      for (let i = 0; i < 20; i++) {
        const pat = adoLegacyPat(kind);
        assert.equal(adoLegacyPatKind(pat), kind);
        const text = `AZURE_DEVOPS_EXT_PAT=${pat}\n`;
        expectOne(run(azureDevOpsLegacyPatDetector, text), text, pat, 'SEC-AZ-DEVOPS-002');
        expectNone(run(azureDevOpsLegacyPatDetector, `token: ${flipChar(pat, 20)}`), 'a changed character');
      }
    }
  });

  it('52-character base32 strings without the checksum are ignored (hashes, filler, IDs)', () => {
    const lower = 'abcdefghijklmnopqrstuvwxyz234567';
    let noise = '';
    for (let i = 0; i < 200; i++) noise += `token ${Array.from({ length: 52 }, () => lower[Math.floor(Math.random() * 32)]).join('')}\n`;
    expectNone(run(azureDevOpsLegacyPatDetector, noise), '200 random base32 strings');
    expectNone(run(azureDevOpsLegacyPatDetector, 'password ' + 'x'.repeat(52)), 'a run of x');
  });

  it('a token with more characters around it is not a token', () => {
    const pat = adoLegacyPat();
    expectNone(run(azureDevOpsLegacyPatDetector, `pat ${pat}a`), 'continued');
    expectNone(run(azureDevOpsLegacyPatDetector, `pat a${pat}`), 'preceded');
  });

  it('without any context word the detector is not run (documented gap)', () => {
    // A random PAT can hold an anchor word itself ("pat" in base32 text): draw until it holds none.
    let pat = adoLegacyPat();
    while (azureDevOpsLegacyPatDetector.anchors.some((a) => pat.toLowerCase().includes(a.toLowerCase()))) pat = adoLegacyPat();
    expectNone(run(azureDevOpsLegacyPatDetector, `x = "${pat}"`), 'no anchor word');
    assert.equal(run(azureDevOpsLegacyPatDetector, `pat = "${pat}"`).length, 1);
  });
});

describe('Databricks PATs and Data Factory runtime keys', () => {
  it('dapi tokens with and without the -N suffix', () => {
    const t = 'dapi' + randomHex(32);
    expectOne(run(azureDatabricksDetector, `token = "${t}"`), `token = "${t}"`, t, 'SEC-AZ-DATABRICKS-001');
    const t2 = 'dapi' + randomHex(32) + '-2';
    expectOne(run(azureDatabricksDetector, `DATABRICKS_TOKEN=${t2}\n`), `DATABRICKS_TOKEN=${t2}\n`, t2, 'SEC-AZ-DATABRICKS-001');
  });

  it('dapi look-alikes: wrong length, uppercase, inside identifiers, placeholders', () => {
    expectNone(run(azureDatabricksDetector, 'dapi' + randomHex(31)), '31 hex');
    expectNone(run(azureDatabricksDetector, 'dapi' + randomHex(33)), '33 hex');
    expectNone(run(azureDatabricksDetector, 'dapi' + randomHex(32).toUpperCase().replace(/[0-9]/gu, 'A')), 'upper-case hex');
    expectNone(run(azureDatabricksDetector, 'rapidapi' + randomHex(32)), 'inside a word');
    expectNone(run(azureDatabricksDetector, 'dapi' + '0'.repeat(32)), 'zeros');
    expectNone(run(azureDatabricksDetector, 'from mydapi import dapi_client'), 'prose');
  });

  it('self-hosted integration runtime keys', () => {
    const key = `IR@${crypto.randomUUID()}@adf-prod@westeurope@${randomBase64(43)}=`;
    expectOne(run(azureDataFactoryDetector, `authKey: "${key}"`), `authKey: "${key}"`, key, 'SEC-AZ-ADF-001');
    expectNone(run(azureDataFactoryDetector, `IR@${crypto.randomUUID()}@adf@westeurope@short=`), 'short key');
    expectNone(run(azureDataFactoryDetector, 'IR@not-a-guid@x@y@' + randomBase64(43) + '='), 'no GUID');
  });
});
