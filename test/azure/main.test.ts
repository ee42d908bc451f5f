import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { trustedCaDir } from './testSupport';

describe('local Azure: CLI (main.js)', function () {
  this.timeout(30_000);

  it('prints one JSON line with its endpoints, serves, and exits 0 on SIGTERM', async () => {
    const child = spawn(process.execPath, [join(__dirname, 'main.js'), '--ca-dir', trustedCaDir(), '--scenario', 'insecure', '--page-size', '5'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        createInterface({ input: child.stdout! }).once('line', resolve);
        child.once('exit', (code) => reject(new Error(`exited ${code} before it was ready`)));
      });
      const info = JSON.parse(line);
      for (const k of ['armUrl', 'authorityHost', 'collectionUri', 'tenantId', 'subscriptionId', 'clientId', 'clientSecret', 'certificatePem', 'systemAccessToken', 'federatedConnectionId', 'caCertPath']) {
        assert.ok(info[k], `missing ${k}`);
      }
      assert.match(info.armUrl, /^https:\/\/127\.0\.0\.1:\d+\/$/);
      assert.equal(info.collectionUri, `${info.armUrl}demo-org/`);
      assert.deepEqual(info.scenarios.map((s: { name: string }) => s.name), ['insecure']);
      const res = await fetch(`${info.authorityHost}${info.tenantId}/v2.0/.well-known/openid-configuration`);
      assert.equal(res.status, 200);
      child.kill('SIGTERM');
      const [code] = await once(child, 'exit');
      assert.equal(code, 0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  it('refuses unknown arguments with usage and exit code 2', async () => {
    const child = spawn(process.execPath, [join(__dirname, 'main.js'), '--bogus'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr!.on('data', (d) => (err += d));
    const [code] = await once(child, 'exit');
    assert.equal(code, 2);
    assert.match(err, /usage:/);
  });
});
