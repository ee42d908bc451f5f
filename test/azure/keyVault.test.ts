import * as assert from 'node:assert/strict';
import { constants, createHash, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import type { AccessToken, TokenCredential } from '@azure/identity';
import { CryptographyClient, KeyClient, type KeyVaultKey } from '@azure/keyvault-keys';
import { armToken, raw, secretCredential, useLocalAzure } from './testSupport';
import { CURVES, generatorTimes, isOnCurve, signDigest, verifyDigest } from './vaultSigning';

const VAULT = 'https://vault.azure.net/.default';
// The emulator's host is 127.0.0.1, not <vault>.vault.azure.net: the client's resource check must be off.
const opts = { disableChallengeResourceVerification: true };
const sha256 = (s: string | Buffer) => createHash('sha256').update(s).digest();

/** The public key of a Key Vault key as node:crypto sees it (EC or RSA JWK). */
function nodeKey(k: KeyVaultKey): KeyObject {
  const b = (u: Uint8Array | undefined) => Buffer.from(u ?? new Uint8Array()).toString('base64url');
  const jwk = k.keyType?.startsWith('EC') ? { kty: 'EC', crv: k.key?.crv, x: b(k.key?.x), y: b(k.key?.y) } : { kty: 'RSA', n: b(k.key?.n), e: b(k.key?.e) };
  return createPublicKey({ key: jwk as never, format: 'jwk' });
}

describe('local Azure: Key Vault keys (KeyClient, CryptographyClient)', function () {
  this.timeout(30_000);
  const azure = useLocalAzure({ scenarios: ['hardened'] });
  const keys = () => new KeyClient(azure().keyVaultUrl, secretCredential(azure()), opts);
  const crypto = (k: KeyVaultKey | string) => new CryptographyClient(k as never, secretCredential(azure()), opts);
  afterEach(() => azure().faults.clear());

  it('holds the scenario keys: evidence-signing (EC P-256) and evidence-rsa (RSA 3072), public parts only', async () => {
    const ec = await keys().getKey('evidence-signing');
    assert.equal(ec.keyType, 'EC');
    assert.equal(ec.key?.crv, 'P-256');
    assert.deepEqual(ec.keyOperations, ['sign', 'verify']);
    assert.match(ec.id ?? '', new RegExp(`^${azure().keyVaultUrl}keys/evidence-signing/[0-9a-f]{32}$`));
    const rsa = await keys().getKey('evidence-rsa');
    assert.equal(rsa.keyType, 'RSA');
    assert.equal(rsa.key?.n?.length, 384);
    const token = (await secretCredential(azure()).getToken(VAULT)).token;
    for (const name of ['evidence-signing', 'evidence-rsa']) {
      const res = await raw(azure(), 'GET', `keys/${name}?api-version=2025-07-01`, { token });
      assert.equal(res.status, 200);
      for (const priv of ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k']) assert.equal(res.json.key[priv], undefined, `${name} must not return ${priv}`);
      assert.equal(res.json.attributes.recoveryLevel, 'Recoverable');
    }
    const names: string[] = [];
    for await (const p of keys().listPropertiesOfKeys()) names.push(p.name);
    assert.deepEqual(names.sort(), ['evidence-rsa', 'evidence-signing']);
  });

  it('ES256: signs a digest, verifies it, and refuses a tampered digest; node:crypto agrees', async () => {
    const key = await keys().getKey('evidence-signing');
    const digest = sha256('model credit-risk:2 evidence');
    const signed = await crypto(key.id as string).sign('ES256', digest);
    assert.equal(signed.result.length, 64);
    assert.equal(signed.keyID, key.id);
    assert.equal((await crypto(key).verify('ES256', digest, signed.result)).result, true);
    const tampered = Buffer.from(digest);
    tampered[5] ^= 0x01;
    assert.equal((await crypto(key).verify('ES256', tampered, signed.result)).result, false);
    assert.equal(verify('sha256', Buffer.from('model credit-risk:2 evidence'), { key: nodeKey(key), dsaEncoding: 'ieee-p1363' }, Buffer.from(signed.result)), true);
  });

  it('PS256 and RS256 on the RSA 3072 key, by a version-less key id; node:crypto agrees', async () => {
    const key = await keys().getKey('evidence-rsa');
    const client = crypto(`${azure().keyVaultUrl}keys/evidence-rsa`);
    const digest = sha256('evidence');
    const ps = await client.sign('PS256', digest);
    assert.equal(ps.keyID, key.id);
    assert.equal(ps.result.length, 384);
    assert.equal((await client.verify('PS256', digest, ps.result)).result, true);
    assert.equal((await client.verify('PS256', sha256('other'), ps.result)).result, false);
    assert.equal(verify('sha256', Buffer.from('evidence'), { key: nodeKey(key), padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }, Buffer.from(ps.result)), true);
    const rs = await client.sign('RS256', digest);
    assert.equal(verify('sha256', Buffer.from('evidence'), nodeKey(key), Buffer.from(rs.result)), true);
    assert.equal((await client.verify('RS256', digest, rs.result)).result, true);
  });

  it('creates EC and RSA keys (a second create makes a new version) and lists versions', async () => {
    const ec = await keys().createEcKey('ci-ec', { curve: 'P-256' });
    assert.equal(ec.keyType, 'EC');
    const again = await keys().createEcKey('ci-ec', { curve: 'P-256', tags: { purpose: 'test' } });
    assert.notEqual(again.properties.version, ec.properties.version);
    assert.equal((await keys().getKey('ci-ec')).properties.version, again.properties.version);
    assert.equal((await keys().getKey('ci-ec', { version: ec.properties.version })).properties.version, ec.properties.version);
    const versions: string[] = [];
    for await (const v of keys().listPropertiesOfKeyVersions('ci-ec')) versions.push(v.version ?? '');
    assert.deepEqual(versions.sort(), [ec.properties.version, again.properties.version].sort());
    const rsa = await keys().createRsaKey('ci-rsa', { keySize: 2048 });
    assert.equal(rsa.key?.n?.length, 256);
    const digest = sha256('x');
    const sig = await crypto(rsa).sign('PS256', digest);
    assert.equal((await crypto(rsa).verify('PS256', digest, sig.result)).result, true);
    await assert.rejects(keys().createRsaKey('ci-small', { keySize: 1024 }), (e: { statusCode?: number }) => e.statusCode === 400);
  });

  it('answers 401 with the Key Vault challenge without a token, and to a token for another audience', async () => {
    const a = azure();
    const anonymous = await raw(a, 'GET', 'keys/evidence-signing?api-version=2025-07-01');
    assert.equal(anonymous.status, 401);
    assert.equal(anonymous.json.error.code, 'Unauthorized');
    const challenge = anonymous.headers.get('www-authenticate') ?? '';
    assert.match(challenge, /^Bearer /);
    assert.match(challenge, new RegExp(`authorization="${a.authorityHost}${a.tenantId}"`));
    assert.match(challenge, /resource="https:\/\/vault\.azure\.net"/);
    const wrongAudience = await raw(a, 'GET', 'keys/evidence-signing?api-version=2025-07-01', { token: await armToken(a) });
    assert.equal(wrongAudience.status, 401);
    assert.match(wrongAudience.json.error.message, /Invalid audience/);
    // Through the SDK: a credential that only ever hands out ARM tokens gets a 401 RestError.
    const armOnly: TokenCredential = { getToken: async (): Promise<AccessToken> => ({ token: await armToken(a), expiresOnTimestamp: Date.now() + 3_600_000 }) };
    await assert.rejects(new KeyClient(a.keyVaultUrl, armOnly, opts).getKey('evidence-signing'), (e: { statusCode?: number }) => e.statusCode === 401);
  });

  it('refuses a missing api-version, unknown keys, a digest of the wrong length and an algorithm the key cannot do', async () => {
    const a = azure();
    const token = (await secretCredential(a).getToken(VAULT)).token;
    assert.equal((await raw(a, 'GET', 'keys/evidence-signing', { token })).json.error.code, 'BadParameter');
    const missing = await raw(a, 'GET', 'keys/no-such-key?api-version=2025-07-01', { token });
    assert.equal(missing.status, 404);
    assert.equal(missing.json.error.code, 'KeyNotFound');
    const sig = (body: unknown) => raw(a, 'POST', 'keys/evidence-signing//sign?api-version=2025-07-01', { token, body });
    const short = await sig({ alg: 'ES256', value: Buffer.alloc(20).toString('base64url') });
    assert.equal(short.status, 400);
    assert.match(short.json.error.message, /length of digest/);
    const wrongAlg = await sig({ alg: 'PS256', value: sha256('x').toString('base64url') });
    assert.equal(wrongAlg.status, 400);
    assert.match(wrongAlg.json.error.message, /does not match the key type EC/);
  });

  it('expired tokens are refused, and faults apply to vault paths', async () => {
    const a = azure();
    const token = (await secretCredential(a).getToken(VAULT)).token;
    a.faults.add({ match: { path: '/keys/evidence-rsa' }, kind: 'status', status: 503, times: 1 });
    const faulted = await raw(a, 'GET', 'keys/evidence-rsa?api-version=2025-07-01', { token });
    assert.equal(faulted.status, 503);
    assert.equal(a.requests().find((r) => r.fault === 'status')?.service, 'other');
    assert.equal((await raw(a, 'GET', 'keys/evidence-rsa?api-version=2025-07-01', { token })).status, 200);
    a.advanceClock(7200);
    try {
      const expired = await raw(a, 'GET', 'keys/evidence-rsa?api-version=2025-07-01', { token });
      assert.equal(expired.status, 401);
      assert.match(expired.json.error.message, /expired/);
    } finally {
      a.advanceClock(-7200);
    }
  });
});

describe('local Azure: digest signatures (vaultSigning)', () => {
  it('uses the right curve constants: G is on the curve and n·G is the point at infinity', () => {
    for (const name of ['P-256', 'P-384'] as const) {
      const c = CURVES[name];
      assert.equal(isOnCurve(name, c.gx, c.gy), true, name);
      assert.equal(generatorTimes(name, c.n), undefined, name);
      assert.deepEqual(generatorTimes(name, c.n + 1n), { x: c.gx, y: c.gy }, name);
    }
  });

  it('agrees with node:crypto both ways for ES384, PS384 and RS512, and rejects altered signatures', () => {
    const data = Buffer.from('payload');
    const cases: Array<[Parameters<typeof signDigest>[0], { privateKey: KeyObject; publicKey: KeyObject }, 'sha384' | 'sha512', object]> = [
      ['ES384', generateKeyPairSync('ec', { namedCurve: 'P-384' }), 'sha384', { dsaEncoding: 'ieee-p1363' }],
      ['PS384', generateKeyPairSync('rsa', { modulusLength: 2049 }), 'sha384', { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 48 }],
      ['RS512', generateKeyPairSync('rsa', { modulusLength: 2048 }), 'sha512', {}],
    ];
    for (const [alg, kp, hash, params] of cases) {
      const digest = createHash(hash).update(data).digest();
      const mine = signDigest(alg, kp.privateKey, digest);
      assert.equal(verify(hash, data, { key: kp.publicKey, ...params }, mine), true, `node verifies ${alg}`);
      const theirs = sign(hash, data, { key: kp.privateKey, ...params });
      assert.equal(verifyDigest(alg, kp.publicKey, digest, theirs), true, `emulator verifies node's ${alg}`);
      const bent = Buffer.from(mine);
      bent[bent.length - 1] ^= 0x01;
      assert.equal(verifyDigest(alg, kp.publicKey, digest, bent), false, `${alg} altered`);
    }
  });
});
