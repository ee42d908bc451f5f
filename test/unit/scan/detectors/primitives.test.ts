import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as zlib from 'node:zlib';
import { marvin32, marvin64, seedFromAscii } from '../../../../shared/scan/detectors/_marvin';
import { crc32 } from '../../../../shared/scan/detectors/_crc32';
import { base62FromBytes, base62FromUint32 } from '../../../../shared/scan/detectors/_base62';
import { BASE32_LOWER, exactRuns } from '../../../../shared/scan/detectors/_boundaries';
import { keywords } from '../../../../shared/scan/detectors/_keywords';
import { entropyThreshold, isPlaceholder, isReference, isUuid, looksLikeIdentifier, shannonEntropy } from '../../../../shared/scan/detectors/_values';

describe('detector primitives', () => {
  it('Marvin32 reproduces the SymCrypt test vectors', () => {
    // SymCrypt marvin32.c self-test: seed 0xd53cd9cecd0893b7, "abc" -> 0x22c74339492769bf.
    const h = marvin64(Buffer.from('abc'), 0, 3, { hi: 0xd53cd9ce, lo: 0xcd0893b7 });
    assert.deepEqual([h.hi, h.lo], [0x22c74339, 0x492769bf]);
    const h2 = marvin64(Buffer.from('abcdefghijklmnopqrstuvwxyz'), 0, 26, { hi: 0x0ddddeee, lo: 0xeffff000 });
    assert.deepEqual([h2.hi, h2.lo], [0xa128eb7e, 0x7260aca2]);
    assert.equal(marvin32(Buffer.from('abc'), 0, 3, { hi: 0xd53cd9ce, lo: 0xcd0893b7 }), (0x22c74339 ^ 0x492769bf) >>> 0);
  });

  it('Marvin32 handles every tail length and sub-ranges', () => {
    const seed = seedFromAscii('Default0');
    const b = randomBytes(16);
    for (let n = 0; n <= 8; n++) assert.equal(marvin32(b, 4, 4 + n, seed), marvin32(Buffer.from(b.subarray(4, 4 + n)), 0, n, seed));
    const outputs = new Set<number>();
    for (let n = 0; n <= 8; n++) outputs.add(marvin32(b, 0, n, seed));
    assert.equal(outputs.size, 9, 'each length hashes differently');
  });

  it('seeds are 8 ASCII characters read big-endian', () => {
    assert.deepEqual(seedFromAscii('Default0'), { hi: 0x44656661, lo: 0x756c7430 });
    assert.throws(() => seedFromAscii('short'));
  });

  it('crc32 matches zlib', () => {
    for (let i = 0; i < 20; i++) {
      const b = randomBytes(i * 7);
      assert.equal(crc32(b), zlib.crc32(b));
      assert.equal(crc32(b.toString('latin1')), zlib.crc32(b));
    }
  });

  it('base62 conversions keep leading zero bytes and pad numbers', () => {
    assert.equal(base62FromBytes(Uint8Array.of(1, 0)), '48');
    assert.equal(base62FromBytes(Uint8Array.of(0, 0, 0, 1)), '0001');
    assert.equal(base62FromBytes(Uint8Array.of(0, 0, 0, 0)), '0000');
    assert.equal(base62FromBytes(Uint8Array.of(255, 255, 255, 255)), '4gfFC3');
    assert.equal(base62FromUint32(61, 6), '00000z');
    assert.equal(base62FromUint32(0xffffffff, 6), '4gfFC3');
  });

  it('exactRuns finds runs of exactly the length, whatever their alignment, and nothing else', () => {
    const run = (n: number) => 'a'.repeat(n);
    for (let offset = 0; offset < 60; offset += 7) {
      const text = `${'.'.repeat(offset)}${run(52)} ${run(51)} ${run(53)} x${run(52)}y ${run(52)}`;
      const starts = exactRuns(text, BASE32_LOWER, 52);
      assert.deepEqual(starts, [offset, text.length - 52], `offset ${offset}`);
    }
    assert.deepEqual(exactRuns('a'.repeat(1_000_000), BASE32_LOWER, 52), []);
  });

  it('value judgement: placeholders, references, identifiers, UUIDs, entropy', () => {
    for (const p of ['<your-key>', 'xxxxxxxxxxxx', 'changeme', '********', 'your-secret-here', 'aaaaaaaaaaaa', 'abababababab', 'REPLACE_ME_PLEASE', '']) assert.ok(isPlaceholder(p), p);
    for (const r of ['$(storageKey)', '${{ secrets.KEY }}', '${STORAGE_KEY}', '%STORAGE_KEY%', "os.environ['X']", '@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/x/)', 'https://kv.vault.azure.net/secrets/x', '{{ .Values.key }}', '#{Key}#', '__KEY__', "[parameters('key')]"]) assert.ok(isReference(r), r);
    for (const i of ['get_client_secret', 'clientSecretName', 'my-secret-name', 'config.secret.value']) assert.ok(looksLikeIdentifier(i), i);
    for (const n of ['Xk9mQ2vL8pR4tW7z', 'aB3dE5gH7jK9mN1p']) assert.ok(!looksLikeIdentifier(n), n);
    assert.ok(isUuid('3f2504e0-4f89-11d3-9a0c-0305e82c3301') && isUuid('{3F2504E0-4F89-11D3-9A0C-0305E82C3301}') && !isUuid('3f2504e0-4f89-11d3-9a0c-0305e82c330'));
    assert.equal(shannonEntropy('aaaa'), 0);
    assert.equal(shannonEntropy('abcd'), 2);
    assert.ok(entropyThreshold(12) < 3.5 && entropyThreshold(64) === 3.5);
  });
});

// Registered at load time, like the detectors' sets.
const KW = keywords(['password', 'client_secret', 'secret']);

describe('shared keyword pass', () => {
  it('finds every occurrence of its words in any ASCII case, overlaps included; a late set rebuilds the automaton', () => {
    const hits: Array<[number, string]> = [];
    KW.each('PassWord=x; CLIENT_SECRET: y; caf\u00e9 secretary', (at, w) => hits.push([at, w]));
    assert.deepEqual(hits, [[0, 'password'], [12, 'client_secret'], [19, 'secret'], [35, 'secret']]);
    assert.ok(KW.any('a SECRET'));
    assert.ok(!KW.any('nothing here'));
    const late = keywords(['zqxlate']);
    assert.ok(late.any('a ZQXLATE word') && KW.any('a secret'));
  });
});
