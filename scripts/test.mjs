// npm test: build, then the whole mocha suite on Node 20 (this node) and again on Node 24; tasks spawned by
// the tests run on the same Node as the suite, so both handlers of task.json are exercised.
import { spawn } from 'node:child_process';
import { build, node24, root, testCa } from './lib.mjs';

build();
const ca = testCa();
const nodes = [['Node ' + process.version, process.execPath]];
if (process.env.MLOPS_TEST_SKIP_NODE24 !== '1') nodes.push(['Node 24', node24()]);

let passed = 0;
let failed = 0;
let pending = 0;
for (const [label, bin] of nodes) {
  process.stdout.write(`\n> mocha on ${label}\n`);
  const res = await new Promise((done) => {
    const child = spawn(bin, ['node_modules/mocha/bin/mocha.js', '--no-color', ...process.argv.slice(2)], {
      cwd: root,
      env: { ...process.env, NODE_EXTRA_CA_CERTS: ca, FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d) => { out += d; process.stdout.write(d); });
    child.on('close', (code) => done({ code, out }));
  });
  const n = (re) => Number(re.exec(res.out)?.[1] ?? 0);
  const p = n(/(\d+) passing/), f = n(/(\d+) failing/), s = n(/(\d+) pending/);
  if (p + f === 0 || (res.code !== 0 && f === 0)) failed++; // a crash before any test counts as a failure
  passed += p;
  failed += f;
  pending += s;
  process.stdout.write(`  ${label}: ${p} passed, ${f} failed${s ? `, ${s} pending` : ''}\n`);
}
console.log(`\ntests: ${passed} passed, ${failed} failed${pending ? `, ${pending} skipped` : ''}`);
process.exit(failed ? 1 : 0);
