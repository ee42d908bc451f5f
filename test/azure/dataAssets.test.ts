/** Data asset versions at the local Azure: container made on the first version, dataUri/dataType required, immutable. */
import * as assert from 'node:assert/strict';
import type { LocalAzure } from './server';
import { armToken, raw, useLocalAzure } from './testSupport';

describe('local Azure: data asset versions', function () {
  this.timeout(30_000);
  const azureOf = useLocalAzure({ scenarios: ['hardened'] });
  let azure: LocalAzure;
  let token: string;
  const base = () => `/subscriptions/${azure.subscriptionId}/resourceGroups/rg-ml-hardened/providers/Microsoft.MachineLearningServices/workspaces/mlw-hardened/data/credit-test`;
  const uri = (v: string) => `azureml://subscriptions/${azure.subscriptionId}/resourcegroups/rg-ml-hardened/workspaces/mlw-hardened/datastores/workspaceblobstore/paths/data/credit-test/${v}/test.csv`;
  const put = (v: string, properties: Record<string, unknown>) => raw(azure, 'PUT', `${base()}/versions/${v}?api-version=2023-04-01`, { token, body: { properties } });

  before(async () => {
    azure = azureOf();
    token = await armToken(azure);
  });

  it('a version PUT creates the container and keeps latestVersion/nextVersion; GET and list return it', async () => {
    assert.equal((await put('1', { dataType: 'uri_file', dataUri: uri('1') })).status, 201);
    assert.equal((await put('2', { dataType: 'uri_file', dataUri: uri('2'), description: 'holdout' })).status, 201);
    const container = await raw(azure, 'GET', `${base()}?api-version=2023-04-01`, { token });
    assert.equal(container.status, 200);
    assert.equal(container.json.properties.latestVersion, '2');
    assert.equal(container.json.properties.nextVersion, '3');
    const one = await raw(azure, 'GET', `${base()}/versions/1?api-version=2023-04-01`, { token });
    assert.equal(one.json.properties.dataUri, uri('1'));
    assert.equal(one.json.properties.dataType, 'uri_file');
    const list = await raw(azure, 'GET', `${base()}/versions?api-version=2023-04-01&$orderBy=version asc`, { token });
    assert.deepEqual(list.json.value.map((v: { name: string }) => v.name), ['1', '2']);
  });

  it('needs dataUri and a known dataType; the dataUri of an existing version cannot change', async () => {
    const noUri = await put('5', { dataType: 'uri_file' });
    assert.equal(noUri.status, 400);
    assert.match(noUri.json.error.message, /properties\.dataUri/);
    const badType = await put('5', { dataType: 'csv', dataUri: uri('5') });
    assert.equal(badType.status, 400);
    assert.match(badType.json.error.message, /uri_file, uri_folder, mltable/);
    const changed = await put('1', { dataType: 'uri_file', dataUri: uri('other') });
    assert.equal(changed.status, 409);
    assert.equal(changed.json.error.code, 'UserError');
    assert.equal((await put('1', { dataType: 'uri_file', dataUri: uri('1'), tags: { split: 'test' } })).status, 200, 'tags may change');
  });

  it('without a token the PUT is 401 and no container is made', async () => {
    const r = await raw(azure, 'PUT', `${base().replace('credit-test', 'no-auth')}/versions/1?api-version=2023-04-01`, { body: { properties: { dataType: 'uri_file', dataUri: uri('1') } } });
    assert.equal(r.status, 401);
    assert.equal((await raw(azure, 'GET', `${base().replace('credit-test', 'no-auth')}?api-version=2023-04-01`, { token })).status, 404);
  });
});
