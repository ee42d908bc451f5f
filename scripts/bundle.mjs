#!/usr/bin/env node
// Bundles every task under tasks/ into dist/tasks/<Name>/ with esbuild, then proves each bundle loads on
// Node 20 and Node 24 from a folder that has no node_modules (as on an agent).
//
// Output per task:
//   index.js  the entry: task code, shared/, task-lib and small deps. Printing starts as soon as it is parsed.
//   sdk.js    the Azure SDKs and azure-devops-node-api (~2 MB), required on first use. V8 must parse a whole
//             file before running any of it: as one 2.6 MB file, SecurityGate printed its first line after
//             262 ms on Node 24 (bare node: 99 ms); split, after 141 ms. `--single` turns the split off.
//   *.map     external source maps: not shipped, kept to decode minified stack traces from agent logs.
//   task.json, icon.png, Strings/ (if present).
// Minified because it more than halves the bytes V8 must parse at start-up (5.6 MB -> 2.3 MB in a trial) and
// the vsix size; keepNames so that class and function names seen at runtime (errors, rule classes) stay true.
//
// Usage: node scripts/bundle.mjs [--tasks dir] [--out dir] [--only Name] [--single] [--no-smoke] [--measure]
//   --measure adds first-line start-up timings (Node 20 and 24) to dist/bundle-meta.json (~15 s).
import { build as esbuild, version as esbuildVersion } from 'esbuild';
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const SDK_FILE = 'sdk.js';
// The content scanner (shared/scan) reads and matches files in worker threads. A task that bundles it gets the
// worker entry as its own file beside index.js, where shared/scan/workerPool.ts looks for it (next to itself).
export const SCAN_WORKER_FILE = 'scanWorker.js';
const SCAN_WORKER_ENTRY = 'shared/scan/scanWorker.ts';
const SCAN_POOL_INPUT = 'shared/scan/workerPool.ts';
// The probe worker thread (shared/probe/inWorker.ts), bundled next to index.js when a task uses it.
export const PROBE_WORKER_FILE = 'probeWorker.js';
const PROBE_WORKER_ENTRY = 'shared/probe/worker.ts';
const PROBE_RUNNER_INPUT = 'shared/probe/inWorker.ts';
// The OIDC token request's thread (shared/azure/oidcInWorker.ts), bundled next to index.js when a task signs in.
export const OIDC_WORKER_FILE = 'oidcWorker.js';
const OIDC_WORKER_ENTRY = 'shared/azure/oidcWorker.ts';
const OIDC_STARTER_INPUT = 'shared/azure/oidcInWorker.ts';
// Worker files: each is bundled (whole, nothing lazy) when the task's main bundle holds the module that starts it.
const WORKERS = [
  { key: 'scanWorker', file: SCAN_WORKER_FILE, entry: SCAN_WORKER_ENTRY, input: SCAN_POOL_INPUT },
  { key: 'probeWorker', file: PROBE_WORKER_FILE, entry: PROBE_WORKER_ENTRY, input: PROBE_RUNNER_INPUT },
  { key: 'oidcWorker', file: OIDC_WORKER_FILE, entry: OIDC_WORKER_ENTRY, input: OIDC_STARTER_INPUT },
];
const NODE24_DEFAULT = path.join(ROOT, '.cache', 'node24', 'node_modules', '.bin', 'node');

// Packages moved into sdk.js. Only the specifiers our code imports directly need a stub; their own
// dependencies follow them into sdk.js.
export const LAZY_PACKAGES = /^(@azure\/[^/]+|azure-devops-node-api)(\/.*)?$/;

// Bundled library code no longer sits under node_modules, so Node reports deprecations it would otherwise
// hide (DEP0005 Buffer()), and Node 24 reports url.parse() (DEP0169, used by typed-rest-client on every
// Azure DevOps call). These are our dependencies' business, not the pipeline user's: drop only these codes.
// `import.meta.url` is defined for ESM-only deps (the `open` package, used by browser login we never call).
// Installed once per process (index.js and sdk.js both carry it). No "use strict": some deps are sloppy code.
export const BANNER = [
  'var __bundleImportMetaUrl=require("url").pathToFileURL(__filename).href;',
  '(()=>{const k=Symbol.for("mlops-gates.warning-filter");if(process[k])return;process[k]=1;const q=new Set(["DEP0005","DEP0040","DEP0169"]),e=process.emitWarning;',
  'process.emitWarning=function(w,...a){const o=a[0],c=o&&typeof o==="object"?o.code:a[1];if(q.has(c)||(w&&q.has(w.code)))return;return e.call(this,w,...a)}})();',
].join('');

/** Task folders under `tasksDir` that hold both task.json and index.ts, sorted by name. */
export function findTasks(tasksDir) {
  if (!existsSync(tasksDir)) return [];
  return readdirSync(tasksDir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => ({ name: d.name, dir: path.join(tasksDir, d.name) }))
    .filter((t) => existsSync(path.join(t.dir, 'task.json')) && existsSync(path.join(t.dir, 'index.ts')))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** The single JS file all Node handlers of a task.json point at; throws if they disagree. */
export function nodeTarget(taskJson) {
  const targets = new Set();
  for (const section of ['execution', 'prejobexecution', 'postjobexecution']) {
    for (const [handler, body] of Object.entries(taskJson[section] ?? {})) {
      if (/^Node/.test(handler)) targets.add(body?.target);
    }
  }
  if (targets.size !== 1) throw new Error(`task.json must point all Node handlers at one target, found: ${[...targets].join(', ') || 'none'}`);
  const [target] = targets;
  if (typeof target !== 'string' || !/^[\w.-]+\.js$/.test(target)) throw new Error(`unexpected handler target "${target}"`);
  return target;
}

/** Package root ("…/node_modules/name") of a bundled input path, or undefined for our own sources. */
export function packageOf(inputPath) {
  if (inputPath.startsWith('lazy-stub:')) return undefined; // our generated stand-ins, not package code
  const m = /^(.*node_modules\/((?:@[^/]+\/)?[^/]+))\//.exec(inputPath.replace(/\\/g, '/'));
  return m ? { root: m[1], name: m[2] } : undefined;
}

/**
 * Every (output file, package root) pair for `pkg` across the metafiles of one task. Each pair is one
 * runtime instance of the package, so task-lib must appear exactly once (trap T10: its vault and its
 * global "loaded" flag break with two).
 */
export function packageCopies(metafiles, pkg) {
  const copies = [];
  for (const meta of metafiles) {
    for (const [out, o] of Object.entries(meta.outputs)) {
      if (!out.endsWith('.js')) continue;
      const roots = new Set();
      for (const input of Object.keys(o.inputs)) {
        const p = packageOf(input);
        if (p && p.name === pkg) roots.add(p.root);
      }
      for (const root of roots) copies.push({ output: path.basename(out), root });
    }
  }
  return copies;
}

/** Bytes in the output per package (own sources grouped as "(project)"), largest first. */
export function bytesByPackage(metafiles) {
  const by = new Map();
  for (const meta of metafiles) {
    for (const o of Object.values(meta.outputs)) {
      for (const [input, v] of Object.entries(o.inputs ?? {})) {
        const key = packageOf(input)?.name ?? (input.startsWith('lazy-stub:') ? '(lazy stubs)' : '(project)');
        by.set(key, (by.get(key) ?? 0) + v.bytesInOutput);
      }
    }
  }
  return [...by].sort((a, b) => b[1] - a[1]);
}

/** Packages that ended up in more than one output file of a task (costs bytes, and state if stateful). */
export function duplicatedPackages(metafiles) {
  const where = new Map();
  for (const meta of metafiles) {
    for (const [out, o] of Object.entries(meta.outputs)) {
      for (const input of Object.keys(o.inputs ?? {})) {
        const p = packageOf(input);
        if (!p) continue;
        if (!where.has(p.name)) where.set(p.name, new Set());
        where.get(p.name).add(`${path.basename(out)}:${p.root}`);
      }
    }
  }
  return [...where].filter(([, s]) => s.size > 1).map(([name, s]) => ({ name, copies: [...s] }));
}

/** CommonJS module that stands in for a lazily loaded package: same export names, loaded on first access. */
export function lazyStubSource(key, names) {
  return [
    `let m;const load=()=>m||(m=require("./${SDK_FILE}").load(${JSON.stringify(key)}));`,
    'Object.defineProperty(exports,"__esModule",{value:true});',
    `for(const n of ${JSON.stringify(names.filter((n) => n !== '__esModule'))})`,
    'Object.defineProperty(exports,n,{enumerable:true,get:()=>load()[n]});',
  ].join('\n');
}

/** Entry of sdk.js: maps each stub key to a require of the real module. */
export function sdkEntrySource(keys) {
  const cases = keys.map((k) => `${JSON.stringify(k)}:()=>require(${JSON.stringify('./' + k)})`);
  return `const mods={${cases.join(',\n')}};\nexports.load=(k)=>{const f=mods[k];if(!f)throw new Error("${SDK_FILE} lacks "+k);return f();};\n`;
}

function lazyPlugin(root, lazyKeys) {
  const req = createRequire(path.join(root, 'package.json'));
  return {
    name: 'lazy-sdk',
    setup(build) {
      build.onResolve({ filter: new RegExp(`^\\./${SDK_FILE.replace('.', '\\.')}$`), namespace: 'lazy-stub' }, () => ({ path: `./${SDK_FILE}`, external: true }));
      build.onResolve({ filter: LAZY_PACKAGES }, async (args) => {
        if (args.pluginData?.lazyInner) return undefined;
        // The require condition: sdk.js loads the package with require(), so the stub must mirror that build.
        const r = await build.resolve(args.path, { kind: 'require-call', resolveDir: args.resolveDir, pluginData: { lazyInner: true } });
        if (r.errors.length) return { errors: r.errors };
        const key = path.relative(root, r.path).split(path.sep).join('/');
        lazyKeys.set(key, r.path);
        return { path: key, namespace: 'lazy-stub', pluginData: { abs: r.path } };
      });
      build.onLoad({ filter: /.*/, namespace: 'lazy-stub' }, (args) => {
        const names = Object.getOwnPropertyNames(req(args.pluginData.abs));
        return { contents: lazyStubSource(args.path, names), loader: 'js', resolveDir: root };
      });
    },
  };
}

/**
 * tsc turns our `import` statements into require() calls, so at runtime Node resolves packages with the
 * "require" export condition. esbuild would use "import" for them, and since the Azure SDKs' CommonJS
 * builds require each other, the bundle then held both the ESM and the CommonJS copy of core-rest-pipeline,
 * core-client, logger, abort-controller… (two loggers, two RestError classes). Resolving our TypeScript's
 * bare imports as require calls keeps one copy, the one Node itself would load.
 */
function requireConditionPlugin() {
  return {
    name: 'require-condition',
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, async (args) => {
        if (args.pluginData?.requireInner || args.kind !== 'import-statement' || !/\.tsx?$/.test(args.importer)) return undefined;
        const r = await build.resolve(args.path, { kind: 'require-call', resolveDir: args.resolveDir, importer: args.importer, pluginData: { requireInner: true } });
        return r.errors.length ? { errors: r.errors } : { path: r.path, external: r.external, sideEffects: r.sideEffects };
      });
    },
  };
}

const FLAVOURS = new Set(['esm', 'commonjs', 'cjs', 'browser', 'react-native', 'workerd', 'module']);

/** Packages bundled from more than one build flavour (e.g. dist/esm and dist/commonjs): two instances. */
export function dualBuilds(metafiles) {
  const flavours = new Map();
  for (const meta of metafiles) {
    for (const o of Object.values(meta.outputs)) {
      for (const input of Object.keys(o.inputs ?? {})) {
        const p = packageOf(input);
        if (!p) continue;
        const rest = input.replace(/\\/g, '/').slice(p.root.length + 1).split('/');
        const flavour = rest[0] === 'dist' ? rest[1] : rest[0];
        if (!FLAVOURS.has(flavour)) continue;
        if (!flavours.has(p.root)) flavours.set(p.root, new Set());
        flavours.get(p.root).add(flavour);
      }
    }
  }
  return [...flavours].filter(([, f]) => f.size > 1).map(([root, f]) => `${root} (${[...f].sort().join(' + ')})`);
}

function esbuildOptions(root, outfile) {
  return {
    bundle: true, platform: 'node', target: 'node20', format: 'cjs',
    minify: true, keepNames: true, sourcemap: 'external', legalComments: 'eof',
    metafile: true, outfile, absWorkingDir: root, nodePaths: [path.join(root, 'node_modules')],
    define: { 'import.meta.url': '__bundleImportMetaUrl' },
    alias: { 'supports-color': './scripts/no-supports-color.cjs' },
    banner: { js: BANNER },
    logLevel: 'silent',
    // esbuild reports unbundled require(expr) at debug level only; raise it so we can list them.
    logOverride: { 'unsupported-require-call': 'warning', 'unsupported-dynamic-import': 'warning' },
  };
}

// Dynamic requires known to work from a bundle, so they are noted rather than warned about.
export const KNOWN_DYNAMIC_REQUIRES = [
  { pkg: 'azure-pipelines-task-lib', code: /require\(resourceFile\)/, why: 'setResourcePath loads task.json by absolute path' },
  { pkg: 'onnxruntime-web', code: /./, why: 'its WebAssembly glue (ort-wasm-simd-threaded.mjs) is imported from the file URL shared/explain/onnx/webBackend.ts gives, beside the bundle' },
  { pkg: '(project)', code: /require\(modulePath\)/, why: 'scan pluginModules: extra detector modules named at run time (tests); the default plugins are bundled' },
];

/**
 * Dynamic requires esbuild left in place: { pkg, where, code, known }. `known` holds the reason when the
 * require is on KNOWN_DYNAMIC_REQUIRES. Whether an unknown one matters is settled by the smoke run.
 */
export function describeUnresolved(warnings) {
  return warnings
    .filter((w) => w.id === 'unsupported-require-call' || w.id === 'unsupported-dynamic-import')
    .map((w) => {
      const file = w.location?.file ?? '?';
      const pkg = packageOf(file)?.name ?? '(project)';
      const code = w.location?.lineText?.trim().slice(0, 100) ?? '';
      const known = KNOWN_DYNAMIC_REQUIRES.find((k) => k.pkg === pkg && k.code.test(code));
      return { pkg, where: `${file}:${w.location?.line}`, code, known: known?.why };
    });
}

/** The task's esbuild metafiles merged into <out>/metafiles/<Task>.json (paths relative to the repo). */
export function writeMetafile(outDir, name, metas) {
  const merged = { inputs: {}, outputs: {} };
  for (const m of metas) { Object.assign(merged.inputs, m.inputs); Object.assign(merged.outputs, m.outputs); }
  mkdirSync(path.join(outDir, 'metafiles'), { recursive: true });
  writeFileSync(path.join(outDir, 'metafiles', `${name}.json`), JSON.stringify(merged) + '\n');
}

// onnxruntime-web compiles its WebAssembly runtime at the first session from two files it does not bundle;
// shared/explain/onnx/webBackend.ts looks for them next to the bundle (WASM_MJS, WASM_BINARY there).
export const ORT_WEB_FILES = ['ort-wasm-simd-threaded.mjs', 'ort-wasm-simd-threaded.wasm'];

/** Copies the onnxruntime-web runtime files beside a bundle that includes the package; returns their names. */
export function copyOrtWebFiles(metafiles, dest, root = ROOT) {
  const uses = metafiles.some((m) => Object.keys(m.inputs).some((i) => packageOf(i)?.name === 'onnxruntime-web'));
  if (!uses) return [];
  const dir = path.dirname(createRequire(path.join(root, 'package.json')).resolve('onnxruntime-web'));
  for (const f of ORT_WEB_FILES) cpSync(path.join(dir, f), path.join(dest, f));
  return ORT_WEB_FILES;
}

/** Bundle one task. Returns what bundle-meta.json records for it. */
export async function bundleTask(task, { root = ROOT, outDir, single = false, log = console.log } = {}) {
  const taskJson = JSON.parse(readFileSync(path.join(task.dir, 'task.json'), 'utf8'));
  const target = nodeTarget(taskJson);
  const dest = path.join(outDir, 'tasks', task.name);
  rmSync(dest, { recursive: true, force: true });
  mkdirSync(dest, { recursive: true });

  const lazyKeys = new Map();
  const mainOpts = esbuildOptions(root, path.join(dest, target));
  const main = await esbuild({ ...mainOpts, entryPoints: [path.join(task.dir, 'index.ts')], plugins: [...(single ? [] : [lazyPlugin(root, lazyKeys)]), requireConditionPlugin()] });
  const results = [main];
  if (lazyKeys.size) {
    const keys = [...lazyKeys.keys()].sort();
    results.push(await esbuild({
      ...esbuildOptions(root, path.join(dest, SDK_FILE)),
      stdin: { contents: sdkEntrySource(keys), resolveDir: root, sourcefile: 'sdk-entry.js', loader: 'js' },
    }));
  }
  const workers = await bundleWorkers(root, dest, main.metafile, results);
  const warnings = results.flatMap((r) => r.warnings);
  const unresolved = describeUnresolved(warnings);
  for (const u of unresolved) {
    if (u.known) log(`  note: ${task.name}: dynamic require in ${u.pkg} left as is (${u.known})`);
    else log(`  warning: ${task.name}: dynamic require left unbundled in ${u.pkg}: ${u.where} \`${u.code}\``);
  }
  for (const w of warnings) if (!w.id?.startsWith('unsupported-')) log(`  warning: ${task.name}: ${w.text}`);

  const metas = results.map((r) => r.metafile);
  // Kept outside the task folder (not shipped): scripts/sbom.mjs lists the bundled packages from it.
  writeMetafile(outDir, task.name, metas);
  const tl = packageCopies(metas, 'azure-pipelines-task-lib');
  if (tl.length > 1) throw new Error(`${task.name}: ${tl.length} copies of azure-pipelines-task-lib bundled (${tl.map((c) => `${c.output}:${c.root}`).join(', ')}); there must be exactly one`);
  if (tl.length === 0) log(`  warning: ${task.name}: azure-pipelines-task-lib is not bundled`);
  const dups = duplicatedPackages(metas);
  const dual = dualBuilds(metas);
  if (dual.length) throw new Error(`${task.name}: packages bundled twice, once per build flavour: ${dual.join(', ')}`);

  cpSync(path.join(task.dir, 'task.json'), path.join(dest, 'task.json'));
  const ortFiles = copyOrtWebFiles(metas, dest, root);
  if (existsSync(path.join(task.dir, 'icon.png'))) cpSync(path.join(task.dir, 'icon.png'), path.join(dest, 'icon.png'));
  else log(`  warning: ${task.name}: no icon.png (run node scripts/images.mjs)`);
  if (existsSync(path.join(task.dir, 'Strings'))) cpSync(path.join(task.dir, 'Strings'), path.join(dest, 'Strings'), { recursive: true });

  const files = {};
  for (const f of [target, ...(lazyKeys.size ? [SDK_FILE] : []), ...workers.map((w) => w.file), ...ortFiles]) {
    const buf = readFileSync(path.join(dest, f));
    files[f] = { bytes: buf.length, gzipBytes: gzipSync(buf, { level: 9 }).length };
  }
  return {
    target, files,
    totalBytes: Object.values(files).reduce((s, f) => s + f.bytes, 0),
    lazyModules: [...lazyKeys.keys()].sort(),
    ...Object.fromEntries(WORKERS.map((w) => [w.key, workers.includes(w)])),
    ortWebFiles: ortFiles,
    unresolvedRequires: unresolved,
    duplicatedPackages: dups,
    topPackages: bytesByPackage(metas).slice(0, 15).map(([name, bytes]) => ({ name, bytes })),
  };
}

/** Bundles into `dest` the worker files whose starting module `mainMeta`'s bundle holds; adds their builds to `results`. */
async function bundleWorkers(root, dest, mainMeta, results) {
  const inputs = new Set(Object.keys(mainMeta.inputs).map((i) => i.replace(/\\/g, '/')));
  const workers = WORKERS.filter((w) => inputs.has(w.input));
  for (const w of workers) {
    results.push(await esbuild({ ...esbuildOptions(root, path.join(dest, w.file)), entryPoints: [path.join(root, w.entry)], plugins: [requireConditionPlugin()] }));
  }
  return workers;
}

/**
 * The CLI (`bin/mlops-gates.js`) as one bundle in <out>/cli: main.js (exports main), sdk.js loaded only by the
 * subcommands that call Azure, and the worker files (scanWorker.js, ...). A pre-commit hook runs it on every
 * commit, so start-up counts: one parsed file instead of a few hundred compiled modules, and V8's compile cache
 * on Node >= 22.1.
 */
export async function bundleCli({ root = ROOT, outDir } = {}) {
  const dest = path.join(outDir, 'cli');
  rmSync(dest, { recursive: true, force: true });
  mkdirSync(dest, { recursive: true });
  const lazyKeys = new Map();
  const results = [await esbuild({ ...esbuildOptions(root, path.join(dest, 'main.js')), entryPoints: [path.join(root, 'shared/cli/main.ts')], plugins: [lazyPlugin(root, lazyKeys), requireConditionPlugin()] })];
  if (lazyKeys.size) {
    results.push(await esbuild({
      ...esbuildOptions(root, path.join(dest, SDK_FILE)),
      stdin: { contents: sdkEntrySource([...lazyKeys.keys()].sort()), resolveDir: root, sourcefile: 'sdk-entry.js', loader: 'js' },
    }));
  }
  await bundleWorkers(root, dest, results[0].metafile, results);
  const dual = dualBuilds(results.map((r) => r.metafile));
  if (dual.length) throw new Error(`cli: packages bundled twice, once per build flavour: ${dual.join(', ')}`);
  copyOrtWebFiles(results.map((r) => r.metafile), dest, root);
  const files = {};
  for (const f of readdirSync(dest).filter((f) => f.endsWith('.js'))) files[f] = { bytes: readFileSync(path.join(dest, f)).length };
  return { files, lazyModules: [...lazyKeys.keys()].sort() };
}

// Preloaded into smoke runs: records every module request that is neither a Node builtin nor one of the
// task's own files, i.e. anything that would need a node_modules the agent does not have.
const PROBE = `
const Module = require('module'), path = require('path'), fs = require('fs');
const own = path.dirname(path.resolve(process.env.SMOKE_TASK_DIR + '/x'));
const orig = Module._load; const outside = [];
Module._load = function (request, parent, isMain) {
  if (!isMain && !Module.isBuiltin(request)) {
    const base = parent && parent.filename ? path.dirname(parent.filename) : process.cwd();
    const abs = path.isAbsolute(request) || request.startsWith('.') ? path.resolve(base, request) : null;
    if (!abs || !abs.startsWith(own + path.sep)) outside.push(request);
  }
  return orig.apply(this, arguments);
};
process.on('exit', () => { if (outside.length) fs.writeFileSync(process.env.SMOKE_REPORT, JSON.stringify(outside)); });
`;

function run(node, args, { cwd, env, timeoutMs = 30000 }) {
  return new Promise((resolve) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(node, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '', stderr = '', firstLineMs;
    child.stdout.on('data', (d) => { if (firstLineMs === undefined) firstLineMs = Number(process.hrtime.bigint() - t0) / 1e6; stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code, signal) => { clearTimeout(timer); resolve({ code, signal, stdout, stderr, firstLineMs }); });
  });
}

// Starts the bundled scan worker with the default detectors and has it scan task.json: it must load every
// plugin from inside the bundle and answer (a clean file comes back as a count, one with findings as an outcome).
const SCAN_WORKER_SMOKE = [
  "const {Worker}=require('worker_threads');",
  `const w=new Worker('./${SCAN_WORKER_FILE}',{workerData:{refs:[{module:null,kind:'detectors',index:0}],settings:{root:process.cwd(),scanModels:true,maxFileBytes:1e6,maxModelBytes:1e6,fromGit:false}}});`,
  "const fail=(m)=>{console.error(m);process.exit(1)};w.on('error',(e)=>fail(e.message));",
  "w.once('message',(m)=>{if(m.type!=='ready')fail(JSON.stringify(m));w.postMessage({id:1,files:['task.json']});",
  "w.once('message',(r)=>{if(r.type!=='result'||r.clean?.files+r.outcomes?.length!==1||r.outcomes.some((o)=>o.status!=='scanned'))fail(JSON.stringify(r));w.terminate();})});",
].join('');

// Probes one unparseable URI in the bundled worker: it must load alone and answer with a report.
const PROBE_WORKER_SMOKE = [
  "const {Worker}=require('worker_threads');",
  `const w=new Worker('./${PROBE_WORKER_FILE}');`,
  "const fail=(m)=>{console.error(m);process.exit(1)};w.on('error',(e)=>fail(e.message));",
  "w.once('message',(m)=>{if(!m.ok||m.reports?.[0]?.checks?.length!==5)fail(JSON.stringify(m));w.terminate();});",
  "w.postMessage({id:0,targets:[{endpointId:'e',scoringUri:'not a uri'}],options:{timeoutMs:1000}});",
].join('');

// Asks a closed local port for an OIDC token without retries: the bundled worker must load alone and answer with
// the connection's one-line failure.
const OIDC_WORKER_SMOKE = [
  "const {Worker}=require('worker_threads');",
  "const devops={collectionUri:'https://127.0.0.1:9/org/',projectId:'p',hostType:'build',planId:'pl',jobId:'j',systemAccessToken:'t'};",
  `const w=new Worker('./${OIDC_WORKER_FILE}',{workerData:{devops,connectionId:'c',connectionLabel:'smoke',retryDelaysMs:[]}});`,
  "const fail=(m)=>{console.error(m);process.exit(1)};w.on('error',(e)=>fail(e.message));",
  "w.once('message',(m)=>{if(m.ok||!/service connection smoke/.test(m.message))fail(JSON.stringify(m));w.terminate();});",
].join('');

/** Node binaries to smoke-test with: $SMOKE_NODES (path-separated), else this node plus Node 24 if present. */
export function smokeNodes() {
  if (process.env.SMOKE_NODES) return process.env.SMOKE_NODES.split(path.delimiter).filter(Boolean);
  const nodes = [process.execPath, ...(existsSync(NODE24_DEFAULT) ? [NODE24_DEFAULT] : [])];
  return [...new Map(nodes.map((n) => [realpathSync(n), n])).values()];
}

async function nodeVersion(node) {
  return (await run(node, ['--version'], { env: { PATH: process.env.PATH } })).stdout.trim();
}

/**
 * Runs a bundled task copied away from the repo (so no node_modules can be found) with no inputs: it must
 * reach task.complete without crashing, require nothing outside its folder, and write nothing to stderr. Then loads every
 * module of sdk.js the same way. Returns a list of problems (empty when fine).
 */
export async function smokeTask(distTaskDir, meta, nodes) {
  const problems = [];
  const scratch = mkdtempSync(path.join(tmpdir(), 'mlops-smoke-'));
  try {
    const dir = path.join(scratch, 'task');
    cpSync(distTaskDir, dir, { recursive: true });
    const probe = path.join(scratch, 'probe.cjs');
    writeFileSync(probe, PROBE);
    for (const node of nodes) {
      const v = await nodeVersion(node);
      const report = path.join(scratch, `outside-${v}.json`);
      const env = { PATH: process.env.PATH, AGENT_TEMPDIRECTORY: scratch, SMOKE_TASK_DIR: dir, SMOKE_REPORT: report };
      const checks = [
        ['task run', [meta.target]],
        ...meta.lazyModules.map((k) => [`sdk ${k}`, ['-e', `require('./${SDK_FILE}').load(${JSON.stringify(k)})`]]),
        ...(meta.scanWorker ? [['scan worker', ['-e', SCAN_WORKER_SMOKE]]] : []),
        ...(meta.probeWorker ? [['probe worker', ['-e', PROBE_WORKER_SMOKE]]] : []),
        ...(meta.oidcWorker ? [['OIDC worker', ['-e', OIDC_WORKER_SMOKE]]] : []),
      ];
      for (const [what, args] of checks) {
        rmSync(report, { force: true });
        const r = await run(node, ['-r', probe, ...args], { cwd: dir, env });
        const where = `${v} ${what}`;
        if (r.signal) problems.push(`${where}: killed (${r.signal}), hung?`);
        else if (r.code !== 0) problems.push(`${where}: exit ${r.code}: ${r.stderr.trim().split('\n').slice(0, 3).join(' | ')}`);
        if (what === 'task run' && !/##vso\[task\.complete result=/.test(r.stdout)) problems.push(`${where}: no task.complete line`);
        // task-lib turns an uncaught exception into "Unhandled: …" and exit code 0; a crash all the same.
        const crash = /##vso\[task\.complete result=Failed;\](Unhandled: .*)|(Cannot find module '[^']+')/.exec(r.stdout);
        if (crash) problems.push(`${where}: crashed: ${(crash[1] ?? crash[2]).slice(0, 200)}`);
        if (r.stderr.trim()) problems.push(`${where}: stderr: ${r.stderr.trim().split('\n').slice(0, 3).join(' | ')}`);
        if (existsSync(report)) problems.push(`${where}: required from outside the bundle: ${readFileSync(report, 'utf8')}`);
      }
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return problems;
}

/**
 * Milliseconds from spawn to the first stdout byte of the bundled task (no inputs), per node version, with
 * the same figure for `node -e "console.log(1)"` as the floor on this machine. Runs alternate between the
 * two so that load from other processes hits both alike.
 */
export async function measureFirstLine(distTaskDir, target, nodes, runs = 7) {
  const out = {};
  const scratch = mkdtempSync(path.join(tmpdir(), 'mlops-time-'));
  const median = (a) => Math.round([...a].sort((x, y) => x - y)[a.length >> 1]);
  try {
    for (const node of nodes) {
      const env = { PATH: process.env.PATH, AGENT_TEMPDIRECTORY: scratch };
      const task = [], floor = [];
      for (let i = 0; i < runs; i++) {
        const r = await run(node, [path.join(distTaskDir, target)], { cwd: scratch, env });
        if (r.firstLineMs !== undefined) task.push(r.firstLineMs);
        const b = await run(node, ['-e', 'console.log(1)'], { cwd: scratch, env });
        if (b.firstLineMs !== undefined) floor.push(b.firstLineMs);
      }
      out[await nodeVersion(node)] = { medianMs: median(task), minMs: Math.round(Math.min(...task)), nodeFloorMedianMs: median(floor), runs: task.length };
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return out;
}

/**
 * The results tab (tab/): one html, one js (our code and azure-devops-extension-sdk, minified IIFE for the
 * browser) and one css in <out>/tab/, which the .vsix ships as-is. Nothing is loaded from elsewhere at run time.
 */
export async function bundleTab({ root = ROOT, outDir }) {
  const dest = path.join(outDir, 'tab');
  rmSync(dest, { recursive: true, force: true });
  mkdirSync(dest, { recursive: true });
  const r = await esbuild({
    entryPoints: [path.join(root, 'tab', 'src', 'main.ts')], outfile: path.join(dest, 'tab.js'), absWorkingDir: root,
    bundle: true, platform: 'browser', target: ['chrome110', 'edge110', 'firefox110', 'safari16'], format: 'iife',
    minify: true, legalComments: 'eof', metafile: true, logLevel: 'silent',
  });
  for (const f of ['index.html', 'tab.css']) cpSync(path.join(root, 'tab', f), path.join(dest, f));
  const files = Object.fromEntries(['index.html', 'tab.js', 'tab.css'].map((f) => [f, { bytes: readFileSync(path.join(dest, f)).length }]));
  return { files, warnings: r.warnings.map((w) => w.text) };
}

export function parseArgs(argv) {
  const opts = { tasksDir: path.join(ROOT, 'tasks'), outDir: path.join(ROOT, 'dist'), only: undefined, single: false, smoke: true, measure: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--tasks') opts.tasksDir = path.resolve(argv[++i]);
    else if (a === '--out') opts.outDir = path.resolve(argv[++i]);
    else if (a === '--only') opts.only = argv[++i];
    else if (a === '--single') opts.single = true;
    else if (a === '--no-smoke') opts.smoke = false;
    else if (a === '--measure') opts.measure = true;
    else throw new Error(`unknown argument ${a}`);
  }
  return opts;
}

/** Bundles all tasks; writes <out>/bundle-meta.json. Throws on any failed check. */
export async function bundleAll(opts, log = console.log) {
  const tasks = findTasks(opts.tasksDir).filter((t) => !opts.only || t.name === opts.only);
  if (!tasks.length) throw new Error(`no task folder with task.json and index.ts under ${opts.tasksDir}`);
  const nodes = smokeNodes();
  const meta = { esbuild: esbuildVersion, target: 'node20', format: 'cjs', minify: true, split: !opts.single, tasks: {} };
  const failures = [];
  for (const task of tasks) {
    const t0 = Date.now();
    const m = await bundleTask(task, { outDir: opts.outDir, single: opts.single, log });
    const distDir = path.join(opts.outDir, 'tasks', task.name);
    if (opts.smoke) {
      const problems = await smokeTask(distDir, m, nodes);
      problems.forEach((p) => log(`  error: ${task.name}: ${p}`));
      failures.push(...problems.map((p) => `${task.name}: ${p}`));
      m.smokeTestedOn = await Promise.all(nodes.map(nodeVersion));
    }
    if (opts.measure) m.firstLine = await measureFirstLine(distDir, m.target, nodes);
    meta.tasks[task.name] = m;
    const sizes = Object.entries(m.files).map(([f, s]) => `${f} ${(s.bytes / 1024).toFixed(0)} KB`).join(', ');
    const timing = m.firstLine ? ' | first line ' + Object.entries(m.firstLine).map(([v, t]) => `${v} ${t.medianMs} ms (bare node ${t.nodeFloorMedianMs} ms)`).join(', ') : '';
    log(`${task.name}: ${sizes}${timing} (${Date.now() - t0} ms)`);
  }
  if (!opts.only) {
    meta.cli = await bundleCli({ outDir: opts.outDir });
    log(`cli: ${Object.entries(meta.cli.files).map(([f, s]) => `${f} ${(s.bytes / 1024).toFixed(0)} KB`).join(', ')}`);
    meta.tab = await bundleTab({ outDir: opts.outDir });
    log(`tab: ${Object.entries(meta.tab.files).map(([f, s]) => `${f} ${(s.bytes / 1024).toFixed(0)} KB`).join(', ')}`);
  }
  mkdirSync(opts.outDir, { recursive: true });
  writeFileSync(path.join(opts.outDir, 'bundle-meta.json'), JSON.stringify(meta, null, 2) + '\n');
  if (failures.length) throw new Error(`bundle smoke test failed:\n  ${failures.join('\n  ')}`);
  return meta;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  bundleAll(parseArgs(process.argv.slice(2))).catch((e) => {
    console.error(`bundle failed: ${e.message}`);
    process.exitCode = 1;
  });
}
