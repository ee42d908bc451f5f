import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { reapedChildCpuMs, reapedChildTicks } from '../childCpu';
import { packageOfKey } from '../startup';

describe('bench: start-up helpers', () => {
  it('names the package of a lazy-module key from bundle-meta.json', () => {
    assert.equal(packageOfKey('node_modules/@azure/identity/dist/commonjs/index.js'), '@azure/identity');
    assert.equal(packageOfKey('node_modules/azure-devops-node-api/WebApi.js'), 'azure-devops-node-api');
  });
});

describe('bench: child CPU time', () => {
  it('reads cutime + cstime even when the command name holds spaces and parentheses', () => {
    const fields = Array.from({ length: 50 }, (_, i) => String(i + 3)); // field numbers from 3 (state) on
    fields[16 - 3] = '123';
    fields[17 - 3] = '45';
    assert.equal(reapedChildTicks(`4242 (node (x) y) ${fields.join(' ')}`), 168);
  });

  it('grows once a child that used CPU has exited and been waited for', () => {
    const before = reapedChildCpuMs();
    if (before === undefined) return; // not Linux
    execFileSync(process.execPath, ['-e', 'const t=Date.now();while(Date.now()-t<150);']);
    assert.ok(reapedChildCpuMs()! - before >= 100, 'a busy 150 ms child should add at least 100 ms');
  });
});
