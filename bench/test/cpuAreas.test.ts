import * as assert from 'node:assert/strict';
import { cpuByArea, OTHER_AREA, type CpuProfile } from '../cpuAreas';

type Frame = CpuProfile['nodes'][number]['callFrame'];
const frame = (functionName: string, url: string): Frame => ({ functionName, url, lineNumber: 0, columnNumber: 0 });

describe('bench: CPU profile by area', () => {
  it('gives each sample to the first area any frame of its stack belongs to, and keeps idle apart', () => {
    // root ─┬─ (idle)
    //       ├─ (garbage collector)
    //       ├─ probeOne [shared/probe/run.ts] ── connect [node:_tls_wrap]
    //       ├─ onConnectSecure [node:_tls_wrap]           (a handshake callback: no JS caller)
    //       ├─ evaluate [shared/rules/engine.ts] ── childrenOf [shared/rules/endpoint/_children.ts]
    //       ├─ probeOne [shared/probe/run.ts] ── k [sdk-entry.js]   (a lazy load inside a probe)
    //       └─ somethingElse [x.js]
    const nodes: CpuProfile['nodes'] = [
      { id: 1, callFrame: frame('(root)', ''), children: [2, 3, 4, 6, 7, 9, 11] },
      { id: 2, callFrame: frame('(idle)', '') },
      { id: 3, callFrame: frame('(garbage collector)', '') },
      { id: 4, callFrame: frame('probeOne', 'shared/probe/run.ts'), children: [5] },
      { id: 5, callFrame: frame('connect', 'node:_tls_wrap') },
      { id: 6, callFrame: frame('onConnectSecure', 'node:_tls_wrap') },
      { id: 7, callFrame: frame('evaluate', 'shared/rules/engine.ts'), children: [8] },
      { id: 8, callFrame: frame('childrenOf', 'shared/rules/endpoint/_children.ts') },
      { id: 9, callFrame: frame('probeOne', 'shared/probe/run.ts'), children: [10] },
      { id: 10, callFrame: frame('k', 'sdk-entry.js') },
      { id: 11, callFrame: frame('somethingElse', 'x.js') },
    ];
    const samples = [2, 2, 3, 5, 5, 5, 6, 8, 10, 11];
    const timeDeltas = samples.map(() => 1000);
    const r = cpuByArea({ nodes, samples, timeDeltas }, (f) => `${f.functionName} ${f.url}`);
    assert.equal(r.sampledMs, 10);
    const ms = Object.fromEntries(r.areas.map((a) => [a.area, a.ms]));
    assert.deepEqual(ms, {
      'live probes (shared/probe)': 3,
      'idle (waiting for I/O)': 2,
      'garbage collection': 1,
      'TLS handshakes without a JS caller (probes and ARM)': 1,
      rules: 1,
      'loading and compiling modules': 1,
      [OTHER_AREA]: 1,
    });
    assert.equal(r.areas[0].area, 'live probes (shared/probe)', 'largest first');
  });
});
