#!/usr/bin/env node
// npm run bench: measures SecurityGate's speed goals and sizes, and (re)writes docs/benchmarks.md.
//   1. start-up: first stdout line of the bundled task on this Node and on Node 24 (bench/startup.ts)
//   2. audit: the bundled task against the local Azure, scenario large:1000 at 100 ms per request, and the naive
//      reference collector (bench/auditLarge.ts)
//   3. endpoints: the bundled EndpointHardeningCheck (probes and monitoring on, as by default) against endpoints:200
//      at 100 ms per request (plus one run per Node under the CPU profiler), and probes of 50 endpoints (half
//      silent) on each Node (bench/endpointAudit.ts)
//   4. scan: the `mlops-gates scan` CLI beside gitleaks and secretlint on two ~200 MB trees (bench/scanBench.ts);
//      the reference tools are fetched into .cache/bench-tools/ on first use (bench/tools/)
//   5. size: the .vsix packaged from this run's bundles against the 15 MB goal, each task's shipped files, and
//      what onnxruntime-web's .wasm adds (scripts/sizeBench.mjs)
//   6. promote: ModelRegistryPromote on a 2 GB model in Azurite (data in .cache/bench/azurite-promote, removed
//      after): bytes through the task by reference, peak RSS and wall time of a streamed workspace copy (bench/promote.ts)
//   7. explain: ExplainabilityReport's permutation importance, TreeSHAP and KernelSHAP on onnxruntime-web and -node beside
//      scikit-learn and a numpy KernelSHAP on the same forest and data, made by Debian's /usr/bin/python3 (bench/explainBench.ts)
// Exits non-zero only when something crashed; a missed goal is reported in the document.
//
// Usage: node scripts/bench.mjs [--no-build] [--runs 5] [--startup-runs 15] [--naive-runs 1] [--scale 250,4000]
//                               [--no-node24] [--only startup,audit,endpoints,scan,size,promote,explain] [--scan-runs 3] [--scan-mb 200]
//                               [--endpoints 200] [--probe-runs 3]
//                               [--gitleaks-subset full|half|tenth] [--secretlint-subset tenth|half|full]
// gitleaks (~2-5 MB/s here) reads the whole trees; secretlint (< 1 MB/s here) every 10th file, and ours the same files.
// With --only, the parts not run keep the figures of their last run (.cache/bench/*.json) in the document.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { join } from 'node:path';
import { build, node24, root, step, testCa } from './lib.mjs';
import { measureSize, renderSize, withSize } from './sizeBench.mjs';

const require = createRequire(import.meta.url);
const started = Date.now();
const PARTS = ['startup', 'audit', 'endpoints', 'scan', 'size', 'promote', 'explain'];
const SECRETLINT = ['secretlint@12.0.0', '@secretlint/secretlint-rule-preset-recommend@12.0.0', '@secretlint/secretlint-formatter-sarif@13.0.5'];

function parseArgs(argv) {
  const o = { build: true, runs: 5, startupRuns: 15, naiveRuns: 1, scale: '250,4000', node24: true, only: new Set(PARTS), scanRuns: 3, scanMb: 200, gitleaksSubset: 'full', secretlintSubset: 'tenth', endpoints: 200, probeRuns: 3 };
  const int = (v, flag) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} needs a positive integer`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--no-build') o.build = false;
    else if (a === '--no-node24') o.node24 = false;
    else if (a === '--runs') o.runs = int(argv[++i], a);
    else if (a === '--startup-runs') o.startupRuns = int(argv[++i], a);
    else if (a === '--naive-runs') o.naiveRuns = int(argv[++i], a);
    else if (a === '--scale') o.scale = argv[++i] ?? '';
    else if (a === '--only') {
      o.only = new Set((argv[++i] ?? '').split(',').filter(Boolean));
      for (const p of o.only) if (!PARTS.includes(p)) throw new Error(`--only takes ${PARTS.join(', ')}`);
    } else if (a === '--scan-runs') o.scanRuns = int(argv[++i], a);
    else if (a === '--scan-mb') o.scanMb = int(argv[++i], a);
    else if (a === '--endpoints') o.endpoints = int(argv[++i], a);
    else if (a === '--probe-runs') o.probeRuns = int(argv[++i], a);
    else if (a === '--gitleaks-subset' || a === '--secretlint-subset') {
      const v = argv[++i];
      if (!['tenth', 'half', 'full'].includes(v)) throw new Error(`${a} takes tenth, half or full`);
      o[a === '--gitleaks-subset' ? 'gitleaksSubset' : 'secretlintSubset'] = v;
    }
    else throw new Error(`unknown argument ${a}`);
  }
  return o;
}

/** Runs one bench script; its progress goes to our stderr, its figures to a JSON file. */
function runBench(title, script, args, env = {}) {
  process.stdout.write(`> ${title}\n`);
  const t0 = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, ...env } });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code !== 0) return reject(new Error(`${title} crashed (exit ${code ?? signal})`));
      process.stdout.write(`  ${title}: ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
      resolve();
    });
  });
}

/** gitleaks from Debian sid (bench/tools/gitleaks.sh, idempotent); its path. */
function gitleaksBin() {
  const bin = join(root, '.cache', 'bench-tools', 'gitleaks', 'usr', 'bin', 'gitleaks');
  if (!existsSync(bin)) step('fetch gitleaks (Debian sid package) into .cache/bench-tools/gitleaks', 'bash', ['bench/tools/gitleaks.sh']);
  return bin;
}

/** secretlint from npm, outside the project's dependencies; its path. */
function secretlintBin() {
  const dir = join(root, '.cache', 'bench-tools', 'secretlint');
  const bin = join(dir, 'node_modules', '.bin', 'secretlint');
  if (!existsSync(bin)) step('install secretlint into .cache/bench-tools/secretlint', 'npm', ['install', '--no-save', '--no-audit', '--no-fund', '--prefix', dir, ...SECRETLINT]);
  return bin;
}

/** The last run's figures of a part not run now, or undefined. */
function previous(file) {
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined;
}

function bundleFiles() {
  const file = join(root, 'dist', 'bundle-meta.json');
  if (!existsSync(file)) return undefined;
  const task = JSON.parse(readFileSync(file, 'utf8')).tasks?.SecurityGate;
  if (!task?.files) return undefined;
  return Object.entries(task.files).map(([name, f]) => ({ name, bytes: f.bytes, gzipBytes: f.gzipBytes }));
}

function usesCompileCache() {
  const entry = join(root, 'dist', 'tasks', 'SecurityGate', 'index.js');
  return existsSync(entry) && readFileSync(entry, 'utf8').includes('enableCompileCache');
}

function vsixFiles() {
  const dist = join(root, 'dist');
  if (!existsSync(dist)) return [];
  return readdirSync(dist).filter((f) => f.endsWith('.vsix')).map((name) => ({ name, bytes: statSync(join(dist, name)).size }));
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  if (o.build) build();
  const ca = testCa();
  const nodes = [[`Node ${process.versions.node.split('.')[0]}`, process.execPath]];
  if (o.node24) nodes.push(['Node 24', node24()]);
  const nodeArgs = nodes.flatMap(([label, bin]) => ['--node', `${label}=${bin}`]);
  const outDir = join(root, '.cache', 'bench');
  mkdirSync(outDir, { recursive: true });
  const startupJson = join(outDir, 'startup.json');
  const auditJson = join(outDir, 'audit.json');
  const endpointsJson = join(outDir, 'endpoints.json');

  const scanJson = join(outDir, 'scan.json');
  const loadBefore = os.loadavg()[0];
  const reused = [];
  // Parts not asked for keep their last figures; without any, they run anyway (the document needs them).
  const want = (part, file) => o.only.has(part) || !existsSync(file) || (reused.push(part), false);

  // Start-up first: it is the figure most sensitive to other load, and the audit leaves the page cache warm anyway.
  if (want('startup', startupJson)) {
    await runBench('start-up (first line)', 'build/bench/startup.js', ['--out', startupJson, '--runs', String(o.startupRuns), ...nodeArgs]);
  }
  if (want('audit', auditJson)) {
    await runBench('audit of large:1000 at 100 ms/request', 'build/bench/auditLarge.js',
      ['--out', auditJson, '--runs', String(o.runs), '--naive-runs', String(o.naiveRuns), '--scale', o.scale, ...nodeArgs],
      { NODE_EXTRA_CA_CERTS: ca });
  }
  // Like the scan, optional in the document: run when asked (npm run bench asks for every part), else reused.
  if (o.only.has('endpoints')) {
    await runBench(`EndpointHardeningCheck on endpoints:${o.endpoints} at 100 ms/request, and probes of 50 endpoints`, 'build/bench/endpointAudit.js',
      ['--out', endpointsJson, '--runs', String(o.runs), '--endpoints', String(o.endpoints), '--probe-endpoints', '50', '--probe-timeout-ms', '2000',
        '--probe-runs', String(o.probeRuns), ...nodeArgs],
      { NODE_EXTRA_CA_CERTS: ca });
  } else if (existsSync(endpointsJson)) reused.push('endpoints');
  if (o.only.has('scan')) {
    await runBench(`content scan of two ~${o.scanMb} MB trees, beside gitleaks and secretlint`, 'build/bench/scanBench.js',
      ['--out', scanJson, '--runs', String(o.scanRuns), '--mb', String(o.scanMb), '--gitleaks', gitleaksBin(), '--secretlint', secretlintBin(),
        '--gitleaks-subset', o.gitleaksSubset, '--secretlint-subset', o.secretlintSubset, ...(o.node24 ? ['--node24', node24()] : [])]);
  } else if (existsSync(scanJson)) reused.push('scan');
  const promoteJson = join(outDir, 'promote.json');
  if (o.only.has('promote')) {
    await runBench('ModelRegistryPromote on a 2 GB model in Azurite: by reference, and streamed workspace to workspace', 'build/bench/promote.js',
      ['--out', promoteJson, '--mb', '2048'], { NODE_EXTRA_CA_CERTS: ca });
  } else if (existsSync(promoteJson)) reused.push('promote');
  const sizeJson = join(outDir, 'size.json');
  if (o.only.has('size')) {
    process.stdout.write('> package size (scripts/package.mjs --no-build)\n');
    writeFileSync(sizeJson, JSON.stringify(measureSize(root), null, 2) + '\n');
  } else if (existsSync(sizeJson)) reused.push('size');
  const explainJson = join(outDir, 'explain.json');
  if (o.only.has('explain')) {
    await runBench('ExplainabilityReport: permutation importance and SHAP beside scikit-learn and numpy KernelSHAP', 'build/bench/explainBench.js',
      ['--out', explainJson, '--runs', String(o.runs), ...nodeArgs]);
  } else if (existsSync(explainJson)) reused.push('explain');

  const { renderBenchmarks } = require('../build/bench/report.js');
  const cmd = ['npm run bench', '# or, after a build: node scripts/bench.mjs --no-build'];
  const custom = process.argv.slice(2).filter((a) => a !== '--no-build');
  if (custom.length) cmd.push(`# this run's options: ${custom.join(' ')}`);
  cmd.push('# raw figures of the last run: .cache/bench/audit.json, .cache/bench/startup.json, .cache/bench/endpoints.json, .cache/bench/scan.json (+ scan/*.sarif), .cache/bench/size.json, .cache/bench/promote.json');
  if (existsSync(explainJson)) cmd.push('# ExplainabilityReport figures: .cache/bench/explain.json (+ model, data and per-Node raw figures in .cache/bench/explain/)');
  if (reused.length) cmd.push(`# not run this time, figures of an earlier run: ${reused.join(', ')}`);
  let doc = renderBenchmarks({
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    machine: {
      cpuModel: os.cpus()[0]?.model?.trim() ?? 'unknown',
      cores: os.availableParallelism(),
      memoryGiB: os.totalmem() / 2 ** 30,
      os: `${os.type()} ${os.release()} ${os.arch()}`,
      loadBefore,
      loadAfter: os.loadavg()[0],
    },
    audit: JSON.parse(readFileSync(auditJson, 'utf8')),
    startup: JSON.parse(readFileSync(startupJson, 'utf8')),
    bundle: bundleFiles(),
    vsix: vsixFiles(),
    compileCache: usesCompileCache(),
    scan: previous(scanJson),
    endpoints: previous(endpointsJson),
    promote: previous(promoteJson),
    commands: cmd,
    durationSec: (Date.now() - started) / 1000,
  });
  const size = previous(sizeJson);
  if (size) doc = withSize(doc, renderSize(size));
  const explain = previous(explainJson);
  if (explain) doc = require('../build/bench/explainReport.js').withExplain(doc, explain);
  mkdirSync(join(root, 'docs'), { recursive: true });
  writeFileSync(join(root, 'docs', 'benchmarks.md'), doc);
  console.log(`\nWrote docs/benchmarks.md in ${((Date.now() - started) / 1000).toFixed(0)} s.`);
  const audit = JSON.parse(readFileSync(auditJson, 'utf8'));
  if (audit.naiveError) {
    console.error(`The naive reference crashed: ${audit.naiveError}`);
    process.exitCode = 1;
  }
}

main().catch((e) => {
  console.error(`bench failed: ${e.stack ?? e.message}`);
  process.exit(1);
});
