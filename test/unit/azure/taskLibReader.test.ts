/**
 * The task-lib binding, run the way the agent runs a task: a fresh Node process whose environment holds
 * ENDPOINT_* and job variables (task-lib moves secrets into its vault when it loads, so this cannot share
 * the mocha process). Checks what reaches stdout, where the agent reads logging commands.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';

const moduleUnderTest = join(__dirname, '..', '..', '..', 'shared', 'pipeline', 'serviceConnection.js');

function runTask(env: Record<string, string>, id: string): { stdout: string; result?: any; error?: string } {
  const script = `
    const sc = require(${JSON.stringify(moduleUnderTest)});
    try {
      const id = require('azure-pipelines-task-lib/task').getInput('azureSubscription', true);
      const c = sc.readAzureRmConnection('azureSubscription', id, sc.taskLibReader);
      process.stdout.write('\\nRESULT ' + JSON.stringify({ scheme: c.scheme, tenantId: c.tenantId, clientId: c.clientId, kind: c.secret && c.secret.kind, managementUrl: c.managementUrl, armScope: c.armScope, devops: c.devops && { collectionUri: c.devops.collectionUri, planId: c.devops.planId } }) + '\\n');
    } catch (e) { process.stdout.write('\\nERROR ' + e.message + '\\n'); }`;
  const base: Record<string, string> = { PATH: process.env.PATH ?? '', SYSTEM_DEBUG: 'true', INPUT_AZURESUBSCRIPTION: id };
  const res = spawnSync(process.execPath, ['-e', script], { env: { ...base, ...env }, encoding: 'utf8', cwd: join(__dirname, '..', '..', '..', '..') });
  assert.equal(res.status, 0, res.stderr);
  const out = res.stdout;
  const r = /^RESULT (.*)$/m.exec(out)?.[1];
  const err = /^ERROR (.*)$/m.exec(out)?.[1];
  return { stdout: out, result: r ? JSON.parse(r) : undefined, error: err };
}

function endpointEnv(id: string, scheme: string, auth: Record<string, string>, data: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {
    [`ENDPOINT_URL_${id}`]: 'https://management.azure.com/',
    [`ENDPOINT_AUTH_${id}`]: JSON.stringify({ scheme, parameters: auth }),
    [`ENDPOINT_AUTH_SCHEME_${id}`]: scheme,
  };
  for (const [k, v] of Object.entries(auth)) env[`ENDPOINT_AUTH_PARAMETER_${id}_${k.toUpperCase()}`] = v;
  for (const [k, v] of Object.entries(data)) env[`ENDPOINT_DATA_${id}_${k.toUpperCase()}`] = v;
  return env;
}

/** Lines of stdout that contain `value` and are not the command that masks it. */
function leaks(stdout: string, value: string): string[] {
  return stdout.split('\n').filter((l) => l.includes(value) && !l.startsWith('##vso[task.setsecret]'));
}

describe('taskLibReader (agent environment, child process)', function () {
  this.timeout(30000);
  const tenant = randomUUID();
  const client = randomUUID();
  const data = { subscriptionId: randomUUID(), activeDirectoryAuthority: 'https://login.microsoftonline.com/' };

  it('reads a key connection, masks the key, and never prints it otherwise (even with system.debug)', () => {
    const id = randomUUID();
    const key = randomBytes(30).toString('base64url');
    const run = runTask(endpointEnv(id, 'ServicePrincipal', { tenantid: tenant, serviceprincipalid: client, authenticationType: 'spnKey', serviceprincipalkey: key }, data), id);
    assert.equal(run.error, undefined);
    assert.deepEqual(run.result, { scheme: 'ServicePrincipal', tenantId: tenant, clientId: client, kind: 'key', managementUrl: 'https://management.azure.com/', armScope: 'https://management.azure.com//.default' });
    assert.ok(run.stdout.includes(`##vso[task.setsecret]${key}`), 'masked');
    assert.deepEqual(leaks(run.stdout, key), []);
  });

  it('reads a certificate connection without task-lib refusing the multi-line PEM', () => {
    const id = randomUUID();
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const run = runTask(endpointEnv(id, 'ServicePrincipal', { tenantid: tenant, serviceprincipalid: client, authenticationType: 'spnCertificate', servicePrincipalCertificate: pem }, data), id);
    assert.equal(run.error, undefined);
    assert.equal(run.result.kind, 'certificate');
    const bodyLines = pem.split('\n').filter((l) => l && !l.startsWith('-----'));
    for (const line of bodyLines) {
      assert.ok(run.stdout.includes(`##vso[task.setsecret]${line}`), 'each key line masked');
      assert.deepEqual(leaks(run.stdout, line), []);
    }
  });

  it('reads WIF with the job token from SYSTEMVSSCONNECTION and the job variables', () => {
    const id = randomUUID();
    const token = randomBytes(40).toString('base64url');
    const planId = randomUUID();
    const env = {
      ...endpointEnv(id, 'WorkloadIdentityFederation', { tenantid: tenant, serviceprincipalid: client }, data),
      ENDPOINT_AUTH_SYSTEMVSSCONNECTION: JSON.stringify({ scheme: 'OAuth', parameters: { AccessToken: token } }),
      ENDPOINT_AUTH_PARAMETER_SYSTEMVSSCONNECTION_ACCESSTOKEN: token,
      SYSTEM_COLLECTIONURI: 'https://dev.azure.com/contoso',
      SYSTEM_TEAMPROJECTID: randomUUID(),
      SYSTEM_HOSTTYPE: 'build',
      SYSTEM_PLANID: planId,
      SYSTEM_JOBID: randomUUID(),
    };
    const run = runTask(env, id);
    assert.equal(run.error, undefined);
    assert.deepEqual(run.result.devops, { collectionUri: 'https://dev.azure.com/contoso/', planId });
    assert.ok(run.stdout.includes(`##vso[task.setsecret]${token}`));
    assert.deepEqual(leaks(run.stdout, token), []);
  });

  it('reports a WIF connection without SYSTEMVSSCONNECTION as a configuration error', () => {
    const id = randomUUID();
    const run = runTask(endpointEnv(id, 'WorkloadIdentityFederation', { tenantid: tenant, serviceprincipalid: client }, data), id);
    assert.match(run.error ?? '', /System\.AccessToken/);
  });
});
