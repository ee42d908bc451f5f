import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { azureAccountKeyDetector } from '../../../../shared/scan/detectors/azureAccountKeys';
import { azureConnectionStringDetector } from '../../../../shared/scan/detectors/azureConnectionStrings';
import { azureSasDetector } from '../../../../shared/scan/detectors/azureSas';
import { azureCognitiveLegacyDetector } from '../../../../shared/scan/detectors/azureCognitiveLegacy';
import { hisV1Key, legacyStorageKey, randomBase62, randomHex, sharedAccessKey } from './_generate';
import { expectNone, expectOne, run, runAll } from './_helpers';

const sasSig = () => encodeURIComponent(randomBytes(32).toString('base64'));

describe('Azure storage and Cosmos DB account keys (legacy form, by context)', () => {
  it('AccountKey= in storage and Cosmos DB connection strings', () => {
    const k = legacyStorageKey();
    const storage = `"DefaultEndpointsProtocol=https;AccountName=mlws01;AccountKey=${k};EndpointSuffix=core.windows.net"`;
    expectOne(run(azureAccountKeyDetector, storage), storage, k, 'SEC-AZ-STORAGE-002');
    const cosmos = `AccountEndpoint=https://ml-features.documents.azure.com:443/;AccountKey=${k};`;
    expectOne(run(azureAccountKeyDetector, cosmos), cosmos, k, 'SEC-AZ-COSMOS-002');
  });

  it('88-character keys next to storage-key names or a Cosmos endpoint', () => {
    const k = legacyStorageKey();
    for (const line of [`AZURE_STORAGE_KEY=${k}`, `  access_key = "${k}"`, `"accountKey": "${k}"`, `storage_account_key: ${k}`, `$StorageKey = '${k}'`]) {
      expectOne(run(azureAccountKeyDetector, line + '\n'), line, k, 'SEC-AZ-STORAGE-002');
    }
    const cosmos = `client = CosmosClient("https://feat.documents.azure.com:443/", "${k}")`;
    expectOne(run(azureAccountKeyDetector, cosmos), cosmos, k, 'SEC-AZ-COSMOS-002');
  });

  it('look-alikes: lock-file integrity hashes, references, placeholders, keys without context, identifiable keys', () => {
    const sha512 = randomBytes(64).toString('base64');
    expectNone(run(azureAccountKeyDetector, `"integrity": "sha512-${sha512}",\n"accessKey": true`), 'integrity hash with a context word on another line');
    expectNone(run(azureAccountKeyDetector, 'AccountName=x;AccountKey=$(storageKey);EndpointSuffix=core.windows.net'), 'pipeline variable');
    expectNone(run(azureAccountKeyDetector, 'AccountName=x;AccountKey=<your-account-key>;'), 'placeholder');
    expectNone(run(azureAccountKeyDetector, 'AccountName=x;AccountKey=' + 'A'.repeat(86) + '==;'), 'filler');
    expectNone(run(azureAccountKeyDetector, `thumbnail = "${legacyStorageKey()}"`), 'no context word');
    // An identifiable key in a connection string is reported once, by its checksum detector.
    const id = hisV1Key('+ASt', 64, 'Default0');
    expectNone(run(azureAccountKeyDetector, `AccountName=x;AccountKey=${id};`), 'identifiable key');
    const all = runAll(`AccountName=x;AccountKey=${id};`);
    assert.deepEqual(all.map((m) => m.ruleId), ['SEC-AZ-STORAGE-001']);
  });
});

describe('Azure connection strings: shared access keys, App Configuration, SQL, Redis, Application Insights', () => {
  it('SharedAccessKey= in Service Bus, Event Hubs and IoT Hub connection strings', () => {
    const k = sharedAccessKey();
    const sb = `Endpoint=sb://ml-events.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=${k}`;
    expectOne(run(azureConnectionStringDetector, sb), sb, k, 'SEC-AZ-SHAREDKEY-001');
    const iot = `HostName=plant.azure-devices.net;DeviceId=sensor-1;SharedAccessKey=${k}`;
    assert.match(expectOne(run(azureConnectionStringDetector, iot), iot, k, 'SEC-AZ-SHAREDKEY-001').message, /IoT Hub/u);
    expectNone(run(azureConnectionStringDetector, 'Endpoint=sb://x.servicebus.windows.net/;SharedAccessKeyName=Root;SharedAccessKey=${SB_KEY}'), 'reference');
  });

  it('App Configuration Secret=, only with an azconfig.io endpoint', () => {
    const k = sharedAccessKey();
    const cs = `Endpoint=https://ml-config.azconfig.io;Id=AbCd-l0-s0:Xy12;Secret=${k}`;
    expectOne(run(azureConnectionStringDetector, cs), cs, k, 'SEC-AZ-APPCONFIG-001');
    expectNone(run(azureConnectionStringDetector, `Endpoint=https://other.example.com;Secret=${k}`), 'not App Configuration');
  });

  it('SQL and Azure Database passwords, only to Azure database hosts', () => {
    const pw = 'Pq7' + randomBase62(13) + '!x';
    const ado = `Server=tcp:ml-sql.database.windows.net,1433;Initial Catalog=features;User ID=loader;Password=${pw};Encrypt=True;`;
    expectOne(run(azureConnectionStringDetector, ado), ado, pw, 'SEC-AZ-SQL-001');
    const pg = `host=ml.postgres.database.azure.com port=5432 dbname=f user=u Pwd=${pw}`;
    expectOne(run(azureConnectionStringDetector, pg), pg, pw, 'SEC-AZ-SQL-001');
    expectNone(run(azureConnectionStringDetector, `Server=localhost;Database=f;User Id=sa;Password=${pw};`), 'not an Azure host (left to the generic detector)');
    expectNone(run(azureConnectionStringDetector, 'Server=tcp:x.database.windows.net;Password={your_password};'), 'placeholder');
  });

  it('Redis passwords in StackExchange.Redis strings end at the comma', () => {
    const k = sharedAccessKey();
    const cs = `ml-cache.redis.cache.windows.net:6380,password=${k},ssl=True,abortConnect=False`;
    expectOne(run(azureConnectionStringDetector, cs), cs, k, 'SEC-AZ-REDIS-002');
  });

  it('Application Insights instrumentation keys are info-level identifiers', () => {
    const id = crypto.randomUUID();
    const cs = `InstrumentationKey=${id};IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/`;
    const m = expectOne(run(azureConnectionStringDetector, cs), cs, id, 'SEC-AZ-APPINSIGHTS-001');
    assert.equal(m.severity, undefined);
    assert.ok(run(azureConnectionStringDetector, cs).every((x) => x.ruleId === 'SEC-AZ-APPINSIGHTS-001'));
    expectNone(run(azureConnectionStringDetector, 'InstrumentationKey=00000000-0000-0000-0000-000000000000;'), 'all-zero sample');
  });
});

describe('Azure shared access signatures', () => {
  it('blob SAS URLs: signature only, with permissions and expiry in the message', () => {
    const sig = sasSig();
    const url = `https://mlws.blob.core.windows.net/data/train.csv?sp=r&st=2026-01-01T00:00:00Z&se=2027-01-01T00:00:00Z&spr=https&sv=2022-11-02&sr=b&sig=${sig}`;
    const m = expectOne(run(azureSasDetector, url), url, sig, 'SEC-AZ-SAS-001');
    assert.match(m.message, /sp=r/u);
    assert.match(m.message, /expires 2027-01-01/u);
    assert.equal(m.severity, undefined);
  });

  it('an expired SAS is medium; one without se= says so', () => {
    const sig = sasSig();
    const expired = `?sv=2021-08-06&ss=b&srt=sco&sp=rwdlac&se=2023-03-01T00:00:00Z&sig=${sig}`;
    const m = run(azureSasDetector, expired)[0];
    assert.equal(m.severity, 'medium');
    assert.match(m.message, /expired 2023-03-01/u);
    const undated = `BlobEndpoint=https://x.blob.core.windows.net/;SharedAccessSignature=sv=2022-11-02&si=policy1&sr=c&sig=${sasSig()}`;
    assert.match(run(azureSasDetector, undated)[0].message, /no expiry/u);
  });

  it('Service Bus SAS tokens with epoch expiry', () => {
    const sig = sasSig();
    const tok = `SharedAccessSignature sr=https%3A%2F%2Fns.servicebus.windows.net%2Fq&sig=${sig}&se=1893456000&skn=RootManageSharedAccessKey`;
    assert.match(expectOne(run(azureSasDetector, tok), tok, sig, 'SEC-AZ-SAS-001').message, /expires 2030-01-01/u);
  });

  it('look-alikes: other sig= parameters, short or placeholder signatures, no SAS fields', () => {
    expectNone(run(azureSasDetector, `https://example.com/api?sig=${sasSig()}&user=1`), 'sig= without SAS fields');
    expectNone(run(azureSasDetector, 'https://x.blob.core.windows.net/c?sv=2022-11-02&sp=r&sig=abc123'), 'short signature');
    expectNone(run(azureSasDetector, 'https://x.blob.core.windows.net/c?sv=2022-11-02&sp=r&sig=XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX%3D'), 'placeholder');
    expectNone(run(azureSasDetector, 'const sig=computeSignature(payload);'), 'code');
  });
});

describe('Azure AI services / OpenAI keys of the 32-hex form', () => {
  it('next to service-specific key names', () => {
    const k = randomHex(32);
    for (const line of [`headers = {"Ocp-Apim-Subscription-Key": "${k}"}`, `AZURE_OPENAI_API_KEY=${k}`, `curl -H "api-key: ${k}" $ENDPOINT`, `speech_key = '${k}'`]) {
      expectOne(run(azureCognitiveLegacyDetector, line), line, k, 'SEC-AZ-COGNITIVE-002');
    }
  });

  it('generic key names count only when the file names an Azure AI endpoint', () => {
    const k = randomHex(32);
    const text = `endpoint = "https://ml-oai.openai.azure.com/"\napi_key = "${k}"\n`;
    expectOne(run(azureCognitiveLegacyDetector, text), text, k, 'SEC-AZ-COGNITIVE-002');
    expectNone(run(azureCognitiveLegacyDetector, `api_key = "${k}"\n`), 'no endpoint (and no anchor)');
  });

  it('look-alikes: md5 and git hashes without context, placeholders, longer hex', () => {
    expectNone(run(azureCognitiveLegacyDetector, `endpoint: https://x.openai.azure.com/\nmodel_md5 = "${randomHex(32)}"\ncommit: ${randomHex(40)}\n`), 'md5 and a commit id in a file with an endpoint');
    expectNone(run(azureCognitiveLegacyDetector, `api-key: ${'0'.repeat(32)}`), 'zeros');
    expectNone(run(azureCognitiveLegacyDetector, `api-key: ${randomHex(40)}`), '40-hex SHA-1');
  });
});
