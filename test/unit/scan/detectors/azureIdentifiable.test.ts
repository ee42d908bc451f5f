import * as assert from 'node:assert/strict';
import { AZURE_IDENTIFIABLE_DETECTORS } from '../../../../shared/scan/detectors/azureIdentifiable';
import type { Detector } from '../../../../shared/scan/types';
import { flipChar, hisV1Key, redisReplacedKey, type HisAlphabet } from './_generate';
import { expectNone, expectOne, run } from './_helpers';

function detector(id: string): Detector {
  const d = AZURE_IDENTIFIABLE_DETECTORS.find((x) => x.meta.id === id);
  assert.ok(d, id);
  return d;
}

/**
 * Published test vectors of microsoft/security-utilities (identifiable_scans.rs, SecretMaskerTests.cs): synthetic
 * keys with valid checksums, made of repeated letters, so they are not real-looking keys. Built by code.
 */
const r = (c: string, n: number) => c.repeat(n);
const VECTORS: Array<[string, string, string]> = [
  ['SEC-AZ-EVENTHUBS-001', r('a', 33) + '+AEhG2s/8w=', 'Send SAS key'],
  ['SEC-AZ-RELAY-001', r('a', 33) + '+ARmD7h+qo=', 'Send SAS key'],
  ['SEC-AZ-SERVICEBUS-001', r('a', 33) + '+ASbHpHeAI=', 'Send SAS key'],
  ['SEC-AZ-IOT-001', r('a', 33) + 'AIoTOumzco=', 'IoT Hub'],
  ['SEC-AZ-EVENTGRID-001', r('b', 33) + 'AZEGLiQbng=', 'access key'],
  ['SEC-AZ-STORAGE-001', r('a', 76) + '+ASt5mnCaw==', 'access key'],
  ['SEC-AZ-COSMOS-001', r('a', 76) + 'ACDbOpqrYA==', 'Cosmos DB'],
  ['SEC-AZ-BATCH-001', r('a', 76) + '+ABa13FZVQ==', 'Batch'],
  ['SEC-AZ-MLCLASSIC-001', r('a', 76) + '+AMCFNqWyA==', 'classic'],
  ['SEC-AZ-APIM-001', r('a', 76) + 'APIMHbKhsQ==', 'direct management key'],
  ['SEC-AZ-SEARCH-001', r('a', 42) + 'AzSeCjhzCu', 'query key'],
  ['SEC-AZ-ACR-001', r('d', 42) + '+ACRCUDxQE', 'Container Registry'],
  ['SEC-AZ-ACR-001', r('e', 42) + '+ACRCTB7t/', 'Container Registry'],
  ['SEC-AZ-FUNCTIONS-001', r('d', 44) + 'AzFu182vhA==', 'Functions'],
];

/** Every product, signature, size, alphabet and seed, for generated keys. */
const PRODUCTS: Array<[id: string, sig: string, bytes: number, alphabet: HisAlphabet, seeds: string[]]> = [
  ['SEC-AZ-STORAGE-001', '+ASt', 64, 'base64', ['Default0']],
  ['SEC-AZ-COSMOS-001', 'ACDb', 64, 'base64', ['MastRW00', 'MastRO00', 'SysAll00', 'Resour00', 'SystRO00', 'Encryp00', 'SystRW00']],
  ['SEC-AZ-BATCH-001', '+ABa', 64, 'base64', ['AbAcct00']],
  ['SEC-AZ-APIM-001', 'APIM', 64, 'base64', ['Tenant00', 'IoTHub00', 'Gatewy00', 'GitKey00']],
  ['SEC-AZ-MLCLASSIC-001', '+AMC', 64, 'base64', ['Classic0']],
  ['SEC-AZ-SERVICEBUS-001', '+ASb', 32, 'base64', ['Send0000', 'Listen00', 'Manage00', 'System00']],
  ['SEC-AZ-EVENTHUBS-001', '+AEh', 32, 'base64', ['Send0000', 'Listen00', 'Manage00', 'System00']],
  ['SEC-AZ-RELAY-001', '+ARm', 32, 'base64', ['Send0000', 'Listen00', 'Manage00']],
  ['SEC-AZ-REDIS-001', 'AzCa', 32, 'base64', ['Access00']],
  ['SEC-AZ-IOT-001', 'AIoT', 32, 'base64', ['IoTHub00', 'DpsKey00', 'Device00']],
  ['SEC-AZ-EVENTGRID-001', 'AZEG', 32, 'base64', ['SendRecv', 'Default0']],
  ['SEC-AZ-FUNCTIONS-001', 'AzFu', 40, 'base64url', ['Functi00', 'Master00', 'System00']],
  ['SEC-AZ-ACR-001', '+ACR', 39, 'base64', ['ACRDflt0']],
  ['SEC-AZ-SEARCH-001', 'AzSe', 39, 'base62', ['PAdmin00', 'Query000']],
];

describe('Azure identifiable keys (HIS v1)', () => {
  for (const [id, key, label] of VECTORS) {
    it(`published vector ${id} (${label}) is found with its checksum`, () => {
      const text = `conn = "${key}"\n`;
      const m = expectOne(run(detector(id), text), text, key, id);
      assert.equal(m.confidence, 'verified');
      assert.ok(m.message.includes(label), m.message);
    });
  }

  for (const [id, sig, bytes, alphabet, seeds] of PRODUCTS) {
    it(`${id}: generated keys for every seed are found; one changed character is not`, () => {
      const d = detector(id);
      for (const seed of seeds) {
        for (let i = 0; i < 5; i++) {
          const key = hisV1Key(sig, bytes, seed, alphabet);
          assert.ok(key.includes(sig), 'the signature shows in the encoding');
          for (const text of [`key: ${key}\n`, `{"key":"${key}"}`, key, `x=${key};y=1`]) expectOne(run(d, text), text, key, id);
          // Unpadded forms (URLs, some SDKs) are keys too.
          const bare = key.replace(/=+$/u, '');
          if (bare !== key) expectOne(run(d, `k ${bare} `), `k ${bare} `, bare, id);
          // Flip a character of the random part: the checksum no longer matches.
          const flipped = flipChar(key, 5);
          expectNone(run(d, `key: ${flipped}\n`), `${id} with one character changed`);
        }
      }
    });
  }

  it('keys glued inside a longer base64 run are not keys', () => {
    const key = hisV1Key('+ASt', 64, 'Default0');
    const d = detector('SEC-AZ-STORAGE-001');
    expectNone(run(d, `A${key}`), 'a base64 character before');
    expectNone(run(d, `${key.slice(0, -2)}AA`), 'no padding but base64 after');
    expectNone(run(d, `${key}A`), 'base64 after the padding');
  });

  it('a signature without a key around it (prose, short strings, flood) finds nothing', () => {
    const d = detector('SEC-AZ-STORAGE-001');
    expectNone(run(d, 'the +ASt signature marks storage keys; +ASt+ASt+ASt'), 'prose');
    expectNone(run(d, '+ASt'.repeat(5000)), 'flood of signatures');
  });

  it('severity follows the key kind (search query keys and Cosmos read-only keys are high)', () => {
    const q = hisV1Key('AzSe', 39, 'Query000', 'base62');
    assert.equal(run(detector('SEC-AZ-SEARCH-001'), q)[0].severity, 'high');
    const a = hisV1Key('AzSe', 39, 'PAdmin00', 'base62');
    assert.equal(run(detector('SEC-AZ-SEARCH-001'), a)[0].severity, undefined);
    const ro = hisV1Key('ACDb', 64, 'MastRO00');
    assert.equal(run(detector('SEC-AZ-COSMOS-001'), ro)[0].severity, 'high');
  });

  it('Redis keys with "+" and "/" replaced by "P" and "F" are verified', () => {
    const d = detector('SEC-AZ-REDIS-001');
    for (let i = 0; i < 5; i++) {
      const key = redisReplacedKey();
      assert.ok(/^[A-Za-z0-9]+=$/u.test(key));
      expectOne(run(d, `redis: ${key}`), `redis: ${key}`, key, 'SEC-AZ-REDIS-001');
    }
  });

  it('a key of one product under another product\'s seed is not reported', () => {
    // Right signature, checksum under a seed the product does not use.
    const wrongSeed = hisV1Key('+ASt', 64, 'Classic0');
    expectNone(run(detector('SEC-AZ-STORAGE-001'), wrongSeed), 'storage signature with the ML classic seed');
  });
});
