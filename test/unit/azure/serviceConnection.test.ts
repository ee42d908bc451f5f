import * as assert from 'node:assert/strict';
import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { ConfigError } from '../../../shared/azure/cloud';
import { maskPrivateKeyLines, readAzureRmConnection } from '../../../shared/pipeline/serviceConnection';
import { fakeReader, type FakeEndpoint, type FakeJob } from './fakeReader';

const INPUT = 'azureSubscription';
const CONN = randomUUID();
const TENANT = randomUUID();
const CLIENT = randomUUID();
const SUB = randomUUID();

/** Secrets are made per run, never committed. */
const secretValue = () => randomBytes(30).toString('base64url');

function testPem(): string {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const key = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  // A stand-in certificate block: the parser never decodes it, it only must not be masked.
  const cert = `-----BEGIN CERTIFICATE-----\n${'QUJD'.repeat(16)}\n${'REVG'.repeat(16)}\n-----END CERTIFICATE-----\n`;
  return cert + key;
}

const publicCloudData = {
  subscriptionId: SUB,
  environment: 'AzureCloud',
  activeDirectoryAuthority: 'https://login.microsoftonline.com/',
  environmentAuthorityUrl: 'https://login.windows.net/',
  activeDirectoryServiceEndpointResourceId: 'https://management.core.windows.net/',
};

function job(endpoint: FakeEndpoint, variables: Record<string, string> = {}, extra: FakeJob['endpoints'] = {}): FakeJob {
  return { endpoints: { [CONN]: endpoint, ...extra }, variables };
}

function spKey(key: string, over: Partial<FakeEndpoint> = {}): FakeEndpoint {
  return {
    url: 'https://management.azure.com/',
    scheme: 'ServicePrincipal',
    auth: { tenantid: TENANT, serviceprincipalid: CLIENT, authenticationType: 'spnKey', serviceprincipalkey: key },
    data: { ...publicCloudData },
    ...over,
  };
}

const wifVariables = {
  'System.CollectionUri': 'https://dev.azure.com/contoso/',
  'System.TeamProjectId': randomUUID(),
  'System.HostType': 'build',
  'System.PlanId': randomUUID(),
  'System.JobId': randomUUID(),
};

function wifJob(accessToken: string | undefined, vars: Record<string, string> = wifVariables): FakeJob {
  const ep: FakeEndpoint = {
    url: 'https://management.azure.com/',
    scheme: 'WorkloadIdentityFederation',
    auth: { tenantid: TENANT, serviceprincipalid: CLIENT },
    data: { ...publicCloudData },
  };
  const jobConn: FakeJob['endpoints'] = accessToken === undefined ? {} : { SYSTEMVSSCONNECTION: { url: 'https://dev.azure.com/contoso/', scheme: 'OAuth', auth: { AccessToken: accessToken } } };
  return job(ep, vars, jobConn);
}

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof ConfigError, `expected ConfigError, got ${String(e)}`);
    assert.equal(e.input, INPUT);
    assert.equal(e.name, 'ConfigError', 'the task runner prints ConfigError messages as they are');
    assert.ok(e.message.includes(INPUT), `message names the input: ${e.message}`);
    assert.ok(!/[\r\n]/.test(e.message), 'one line');
    return e;
  }
  assert.fail('expected a ConfigError');
}

describe('readAzureRmConnection', () => {
  describe('schemes', () => {
    it('reads a service principal with a key, masks the key, and derives the ARM scope from the resource id', () => {
      const key = secretValue();
      const r = fakeReader(job(spKey(key)));
      const c = readAzureRmConnection(INPUT, CONN, r);
      assert.equal(c.scheme, 'ServicePrincipal');
      assert.equal(c.tenantId, TENANT);
      assert.equal(c.clientId, CLIENT);
      assert.equal(c.subscriptionId, SUB);
      assert.deepEqual(c.secret, { kind: 'key', value: key });
      assert.equal(c.managementUrl, 'https://management.azure.com/');
      assert.equal(c.authorityHost, 'https://login.microsoftonline.com/');
      assert.equal(c.armScope, 'https://management.core.windows.net//.default');
      assert.equal(c.environment, 'AzureCloud');
      assert.equal(c.devops, undefined);
      assert.deepEqual(r.masked, [key]);
    });

    it('treats a missing scheme as ServicePrincipal and compares schemes case-insensitively', () => {
      const key = secretValue();
      assert.equal(readAzureRmConnection(INPUT, CONN, fakeReader(job(spKey(key, { scheme: undefined })))).scheme, 'ServicePrincipal');
      assert.equal(readAzureRmConnection(INPUT, CONN, fakeReader(job(spKey(key, { scheme: 'serviceprincipal' })))).scheme, 'ServicePrincipal');
      const wif = wifJob(secretValue());
      wif.endpoints[CONN].scheme = 'WORKLOADIDENTITYFEDERATION';
      assert.equal(readAzureRmConnection(INPUT, CONN, fakeReader(wif)).scheme, 'WorkloadIdentityFederation');
    });

    it('reads a certificate connection and masks only the private key, line by line', () => {
      const pem = testPem();
      const ep = spKey('', { auth: { tenantid: TENANT, serviceprincipalid: CLIENT, authenticationType: 'spnCertificate', servicePrincipalCertificate: pem } });
      const r = fakeReader(job(ep));
      const c = readAzureRmConnection(INPUT, CONN, r);
      assert.deepEqual(c.secret, { kind: 'certificate', pem });
      const keyBody = pem.split('-----BEGIN PRIVATE KEY-----')[1].split('-----END PRIVATE KEY-----')[0].split('\n').filter((l) => l.trim());
      assert.ok(keyBody.length > 10);
      assert.deepEqual(r.masked, keyBody, 'every private key line, nothing else');
      assert.ok(!r.masked.some((m) => m.includes('QUJD')), 'certificate lines are public');
    });

    it('reads a workload identity federation connection with the job context, and masks the job token', () => {
      const token = secretValue();
      const r = fakeReader(wifJob(token, { ...wifVariables, 'System.OidcRequestUri': 'https://dev.azure.com/contoso/p/_apis/distributedtask/hubs/build/plans/x/jobs/y/oidctoken' }));
      const c = readAzureRmConnection(INPUT, CONN, r);
      assert.equal(c.scheme, 'WorkloadIdentityFederation');
      assert.equal(c.secret, undefined);
      assert.deepEqual(c.devops, {
        collectionUri: 'https://dev.azure.com/contoso/',
        projectId: wifVariables['System.TeamProjectId'],
        hostType: 'build',
        planId: wifVariables['System.PlanId'],
        jobId: wifVariables['System.JobId'],
        systemAccessToken: token,
        oidcRequestUri: 'https://dev.azure.com/contoso/p/_apis/distributedtask/hubs/build/plans/x/jobs/y/oidctoken',
      });
      assert.deepEqual(r.masked, [token]);
    });

    it('falls back to System.TeamFoundationCollectionUri and adds the trailing slash', () => {
      const vars: Record<string, string> = { ...wifVariables, 'System.TeamFoundationCollectionUri': 'https://tfs.contoso.test/DefaultCollection' };
      delete vars['System.CollectionUri'];
      const c = readAzureRmConnection(INPUT, CONN, fakeReader(wifJob(secretValue(), vars)));
      assert.equal(c.devops?.collectionUri, 'https://tfs.contoso.test/DefaultCollection/');
    });

    it('reads a managed identity connection with its msiclientId and no client id', () => {
      const msi = randomUUID();
      const r = fakeReader(job({ url: 'https://management.azure.com/', scheme: 'ManagedServiceIdentity', auth: { tenantid: TENANT }, data: { ...publicCloudData, msiclientId: msi } }));
      const c = readAzureRmConnection(INPUT, CONN, r);
      assert.equal(c.scheme, 'ManagedServiceIdentity');
      assert.equal(c.msiClientId, msi);
      assert.equal(c.clientId, undefined);
      assert.equal(c.secret, undefined);
      assert.deepEqual(r.masked, []);
    });
  });

  describe('clouds', () => {
    const cloud = (url: string | undefined, data: Record<string, string>) =>
      readAzureRmConnection(INPUT, CONN, fakeReader(job(spKey(secretValue(), { url, data: { subscriptionId: SUB, ...data } }))));

    it('Azure China', () => {
      const c = cloud('https://management.chinacloudapi.cn/', {
        environment: 'AzureChinaCloud',
        activeDirectoryAuthority: 'https://login.chinacloudapi.cn/',
        activeDirectoryServiceEndpointResourceId: 'https://management.core.chinacloudapi.cn/',
      });
      assert.equal(c.managementUrl, 'https://management.chinacloudapi.cn/');
      assert.equal(c.authorityHost, 'https://login.chinacloudapi.cn/');
      assert.equal(c.armScope, 'https://management.core.chinacloudapi.cn//.default');
    });

    it('Azure US Government', () => {
      const c = cloud('https://management.usgovcloudapi.net/', {
        environment: 'AzureUSGovernment',
        activeDirectoryAuthority: 'https://login.microsoftonline.us/',
        activeDirectoryServiceEndpointResourceId: 'https://management.core.usgovcloudapi.net/',
      });
      assert.equal(c.managementUrl, 'https://management.usgovcloudapi.net/');
      assert.equal(c.authorityHost, 'https://login.microsoftonline.us/');
      assert.equal(c.armScope, 'https://management.core.usgovcloudapi.net//.default');
    });

    it('Azure Stack Hub with ADFS keeps its audience exactly (no slash added)', () => {
      const audience = 'https://management.adfs.azurestack.local/4de154de-f8a8-4017-af41-df619da68155';
      const c = cloud('https://management.local.azurestack.external', {
        environment: 'AzureStack',
        activeDirectoryAuthority: 'https://adfs.local.azurestack.external/adfs',
        activeDirectoryServiceEndpointResourceId: audience,
      });
      assert.equal(c.managementUrl, 'https://management.local.azurestack.external/');
      assert.equal(c.authorityHost, 'https://adfs.local.azurestack.external/adfs/');
      assert.equal(c.armScope, `${audience}/.default`);
      assert.equal(c.environment, 'AzureStack');
    });

    it('uses environmentAuthorityUrl when activeDirectoryAuthority is absent, and the public authority when both are', () => {
      assert.equal(cloud('https://management.azure.com/', { environmentAuthorityUrl: 'https://login.windows.net/' }).authorityHost, 'https://login.windows.net/');
      const bare = cloud('https://management.azure.com', {});
      assert.equal(bare.authorityHost, 'https://login.microsoftonline.com/');
      // No resource id: the management URL is the audience, in its trailing-slash form.
      assert.equal(bare.managementUrl, 'https://management.azure.com/');
      assert.equal(bare.armScope, 'https://management.azure.com//.default');
    });

    it('takes data resourceManagerUrl when the endpoint URL is missing', () => {
      assert.equal(cloud(undefined, { resourceManagerUrl: 'https://management.usgovcloudapi.net' }).managementUrl, 'https://management.usgovcloudapi.net/');
    });
  });

  describe('configuration errors', () => {
    it('empty input', () => {
      const e = configError(() => readAzureRmConnection(INPUT, '  ', fakeReader(job(spKey('x')))));
      assert.match(e.message, /is empty/);
    });

    it('connection not in the job', () => {
      const e = configError(() => readAzureRmConnection(INPUT, randomUUID(), fakeReader(job(spKey('x')))));
      assert.match(e.message, /was not found/);
      assert.match(e.message, /authorized/);
    });

    it('unknown scheme lists the three supported ones', () => {
      const e = configError(() => readAzureRmConnection(INPUT, CONN, fakeReader(job(spKey('x', { scheme: 'PublishProfile' })))));
      assert.ok(e.message.includes(CONN));
      assert.match(e.message, /'PublishProfile'/);
      for (const s of ['WorkloadIdentityFederation', 'ServicePrincipal', 'ManagedServiceIdentity']) assert.ok(e.message.includes(s), s);
    });

    const cases: Array<[string, () => FakeJob, RegExp]> = [
      ['no tenant id', () => { const j = job(spKey('k')); delete j.endpoints[CONN].auth!.tenantid; return j; }, /has no tenant id; edit the connection or recreate it/],
      ['no client id', () => { const j = job(spKey('k')); delete j.endpoints[CONN].auth!.serviceprincipalid; return j; }, /no service principal \(client\) id/],
      ['no key', () => job(spKey('')), /has no service principal key; edit the connection and enter the key/],
      ['no certificate', () => job(spKey('', { auth: { tenantid: TENANT, serviceprincipalid: CLIENT, authenticationType: 'spnCertificate' } })), /has no certificate/],
      ['certificate without private key', () => job(spKey('', { auth: { tenantid: TENANT, serviceprincipalid: CLIENT, authenticationType: 'spnCertificate', servicePrincipalCertificate: '-----BEGIN CERTIFICATE-----\nQUJD\n-----END CERTIFICATE-----' } })), /without a private key/],
      ['no subscription', () => { const j = job(spKey('k')); delete j.endpoints[CONN].data!.subscriptionId; return j; }, /has no subscription id/],
      ['management group scope', () => { const j = job(spKey('k')); delete j.endpoints[CONN].data!.subscriptionId; j.endpoints[CONN].data!.scopeLevel = 'ManagementGroup'; return j; }, /scoped to a ManagementGroup, not a subscription/],
      ['no ARM URL', () => job(spKey('k', { url: undefined })), /has no Azure Resource Manager URL/],
      ['invalid ARM URL', () => job(spKey('k', { url: 'management.azure.com' })), /invalid Resource Manager URL/],
      ['plain http authority', () => { const j = job(spKey('k')); j.endpoints[CONN].data!.activeDirectoryAuthority = 'http://login.microsoftonline.com/'; return j; }, /not https/],
      ['Azure Stack without authority', () => job(spKey('k', { data: { subscriptionId: SUB, environment: 'AzureStack', activeDirectoryServiceEndpointResourceId: 'https://management.adfs.azurestack.local/x' } })), /Azure Stack connection without its authority/],
      ['Azure Stack without audience', () => job(spKey('k', { data: { subscriptionId: SUB, environment: 'AzureStack', activeDirectoryAuthority: 'https://adfs.local.azurestack.external/adfs/' } })), /Azure Stack connection without its token audience/],
    ];
    for (const [name, make, expected] of cases) {
      it(name, () => {
        const e = configError(() => readAzureRmConnection(INPUT, CONN, fakeReader(make())));
        assert.ok(e.message.includes(`'${CONN}'`), `names the connection: ${e.message}`);
        assert.match(e.message, expected);
      });
    }

    it('WIF without the job access token says how to make it available', () => {
      const e = configError(() => readAzureRmConnection(INPUT, CONN, fakeReader(wifJob(undefined))));
      assert.match(e.message, /System\.AccessToken/);
      assert.match(e.message, /Allow scripts to access the OAuth token/);
    });

    for (const name of ['System.TeamProjectId', 'System.HostType', 'System.PlanId', 'System.JobId', 'System.CollectionUri']) {
      it(`WIF without ${name}`, () => {
        const vars: Record<string, string> = { ...wifVariables };
        delete vars[name];
        const token = secretValue();
        const r = fakeReader(wifJob(token, vars));
        const e = configError(() => readAzureRmConnection(INPUT, CONN, r));
        assert.ok(e.message.includes(name), e.message);
        assert.deepEqual(r.masked, [token], 'the token was masked before the failure');
      });
    }

    it('masks the key even when the connection is otherwise broken', () => {
      const key = secretValue();
      const j = job(spKey(key));
      delete j.endpoints[CONN].auth!.tenantid;
      const r = fakeReader(j);
      configError(() => readAzureRmConnection(INPUT, CONN, r));
      assert.deepEqual(r.masked, [key]);
    });
  });
});

describe('maskPrivateKeyLines', () => {
  it('skips encryption headers and short lines, masks body lines of every private key block', () => {
    const body = Array.from({ length: 3 }, () => randomBytes(48).toString('base64'));
    const pem = ['-----BEGIN RSA PRIVATE KEY-----', 'Proc-Type: 4,ENCRYPTED', 'DEK-Info: AES-256-CBC,00', '', ...body, 'AB==', '-----END RSA PRIVATE KEY-----', 'outside'].join('\r\n');
    const got: string[] = [];
    assert.equal(maskPrivateKeyLines(pem, (v) => got.push(v)), 3);
    assert.deepEqual(got, body);
  });
});
