#!/usr/bin/env node
// Builds the .vsix: bundles the tasks (scripts/bundle.mjs), stages a clean tree in dist/extension/ and runs
// tfx-cli on it, offline.
//
// Staging, not the repo, is what tfx sees: listing a task folder in `files` ships everything in it (trap
// T9), so each staged task folder holds only task.json, icon.png and the bundle's .js files (index.js,
// plus sdk.js, the lazily loaded Azure SDKs) and Strings/ when the task has one.
// tfx only *warns* about a missing execution target, end-of-life runners or a long friendlyName and still
// exits 0 (trap T7), so any "warning:" line fails this script.
//
// Server (agentless) tasks have no code: a task folder with task.json and no index.ts whose task.json
// declares only server handlers (HttpRequest…) is staged as its task.json and icon.png, unbundled.
//
// The publisher "mlops-gates-dev" in vss-extension.json is a placeholder for development builds. Publish
// under a real publisher with `--publisher <id>` (passed to tfx, which overrides the manifest).
//
// Also shipped: a CycloneDX SBOM per task (scripts/sbom.mjs) under sbom/, addressable, and written beside the
// .vsix in <dist>/sbom/; the images overview.md shows (they must exist: a broken listing is a failed build).
// Reproducible: tfx stamps entries with the build time and adds files in the order reads finish, so the
// .vsix is rewritten in a canonical form (scripts/zip.mjs): same inputs and Node release, same bytes.
// Versions come from versions.json (scripts/version.mjs); this refuses to package when they drifted.
//
// Usage: node scripts/package.mjs [--no-build] [--tasks dir] [--dist dir] [--publisher id]
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { bundleAll, findTasks, nodeTarget, ROOT, SDK_FILE } from './bundle.mjs';
import { writeSboms } from './sbom.mjs';
import { readVersionFiles, versionProblems } from './version.mjs';
import { entryTime, normaliseZip } from './zip.mjs';

/** Kebab-case of a PascalCase task name: SecurityGate -> security-gate. */
export function kebab(name) {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').replace(/([A-Z])([A-Z][a-z])/g, '$1-$2').toLowerCase();
}

/**
 * Problems with the manifest against the task folders: one `files` entry and one task contribution per
 * folder and nothing else, ids `<kebab-name>-task`, version equal to package.json's. Empty when consistent.
 */
export function manifestProblems(manifest, taskNames, packageVersion) {
  const problems = [];
  if (manifest.version !== packageVersion) problems.push(`manifest version ${manifest.version} != package.json version ${packageVersion}`);
  const expected = taskNames.map((n) => `tasks/${n}`).sort();
  const files = (manifest.files ?? []).map((f) => f.path).filter((p) => p.startsWith('tasks/')).sort();
  if (JSON.stringify(files) !== JSON.stringify(expected)) problems.push(`files lists [${files}] but the task folders are [${expected}]`);
  const contribs = (manifest.contributions ?? []).filter((c) => c.type === 'ms.vss-distributed-task.task');
  const named = contribs.map((c) => c.properties?.name).sort();
  if (JSON.stringify(named) !== JSON.stringify(expected)) problems.push(`task contributions name [${named}] but the task folders are [${expected}]`);
  for (const c of contribs) {
    const folder = String(c.properties?.name ?? '').replace(/^tasks\//, '');
    if (c.id !== `${kebab(folder)}-task`) problems.push(`contribution ${c.id} should be ${kebab(folder)}-task`);
    if (JSON.stringify(c.targets) !== JSON.stringify(['ms.vss-distributed-task.tasks'])) problems.push(`contribution ${c.id} must target ms.vss-distributed-task.tasks`);
  }
  return problems;
}

/** Handlers that run on the Azure DevOps server (agentless jobs, classic release gates) and need no code. */
export const SERVER_HANDLERS = ['HttpRequest', 'HttpRequestChain', 'ServiceBus'];

/** True when task.json declares server handlers only. */
export function isServerTask(taskJson) {
  const handlers = Object.keys(taskJson.execution ?? {});
  return handlers.length > 0 && handlers.every((h) => SERVER_HANDLERS.includes(h));
}

/**
 * Task folders under `tasksDir` with a task.json and no index.ts, sorted by name; each must be a server
 * task (a Node task without its source is an error, not something to skip).
 */
export function findServerTasks(tasksDir) {
  if (!existsSync(tasksDir)) return [];
  return readdirSync(tasksDir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => ({ name: d.name, dir: path.join(tasksDir, d.name) }))
    .filter((t) => existsSync(path.join(t.dir, 'task.json')) && !existsSync(path.join(t.dir, 'index.ts')))
    .map((t) => {
      if (!isServerTask(JSON.parse(readFileSync(path.join(t.dir, 'task.json'), 'utf8')))) {
        throw new Error(`${t.name}: task.json has no index.ts beside it and is not a server (HttpRequest) task`);
      }
      return t;
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Files a staged server task folder holds: no bundle, no execution target. */
export const SERVER_TASK_FILES = ['icon.png', 'task.json'];

/** Files each staged task folder must hold, given its bundle metadata. */
export function stagedTaskFiles(bundleMeta) {
  return ['task.json', 'icon.png', ...Object.keys(bundleMeta.files)].sort();
}

/** Lines of tfx output that are warnings (tfx prints "warning: …"). */
export function tfxWarnings(output) {
  // tfx colours its warnings; strip ANSI escapes so the message reads cleanly.
  return output.split(/\r?\n/).map((l) => l.replace(/\x1b\[[0-9;]*m/g, '').trim()).filter((l) => /warning:/i.test(l));
}

/** Relative image paths a Markdown text shows (![alt](path)); absolute URLs are left out. */
export function markdownImages(markdown) {
  const found = new Set();
  for (const m of markdown.matchAll(/!\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
    if (!/^[a-z][a-z0-9+.-]*:|^\/\//i.test(m[1])) found.add(m[1].replace(/^\.\//, ''));
  }
  return [...found].sort();
}

/** Copies what the extension ships into stageDir; returns the staged relative paths. */
export function stage({ root, distDir, stageDir, manifest, tasks, serverTasks = [], bundleMeta }) {
  rmSync(stageDir, { recursive: true, force: true });
  mkdirSync(stageDir, { recursive: true });
  const staged = [];
  const copy = (from, rel) => {
    mkdirSync(path.dirname(path.join(stageDir, rel)), { recursive: true });
    cpSync(from, path.join(stageDir, rel), { recursive: true });
    staged.push(rel);
  };
  const out = structuredClone(manifest);
  if (existsSync(path.join(root, 'LICENSE'))) {
    copy(path.join(root, 'LICENSE'), 'LICENSE');
    out.content = { ...out.content, license: out.content?.license ?? { path: 'LICENSE' } };
  }
  copy(path.join(root, manifest.content.details.path), manifest.content.details.path);
  // The Marketplace page fetches the images overview.md shows from the package: they must be in it, addressable.
  for (const rel of markdownImages(readFileSync(path.join(root, manifest.content.details.path), 'utf8'))) {
    if (rel.includes('..') || !existsSync(path.join(root, rel))) throw new Error(`${manifest.content.details.path} shows ${rel}, which does not exist (screenshots: node scripts/screenshots.mjs)`);
    copy(path.join(root, rel), rel);
    out.files = [...(out.files ?? []), { path: rel, addressable: true }];
  }
  // Only the images the manifest refers to; images/ also holds SVG sources and large renders.
  for (const rel of new Set(Object.values(manifest.icons ?? {}))) copy(path.join(root, rel), rel);
  // The policy file's JSON Schema ships beside the tasks, addressable, so editors can validate .mlops-gates.yml.
  copy(path.join(root, 'shared', 'rules', 'policy.schema.json'), 'schemas/policy.schema.json');
  for (const task of tasks) {
    const meta = bundleMeta.tasks[task.name];
    if (!meta) throw new Error(`no bundle for task ${task.name}; run scripts/bundle.mjs`);
    for (const f of stagedTaskFiles(meta)) {
      const from = path.join(distDir, 'tasks', task.name, f);
      if (!existsSync(from)) throw new Error(`${task.name}: ${f} missing from ${path.dirname(from)}`);
      copy(from, `tasks/${task.name}/${f}`);
    }
    const strings = path.join(distDir, 'tasks', task.name, 'Strings');
    if (existsSync(strings)) copy(strings, `tasks/${task.name}/Strings`);
    const taskJson = JSON.parse(readFileSync(path.join(stageDir, 'tasks', task.name, 'task.json'), 'utf8'));
    if (!existsSync(path.join(stageDir, 'tasks', task.name, nodeTarget(taskJson)))) throw new Error(`${task.name}: execution target not staged`);
  }
  // Server tasks are copied from their source folder: there is nothing to bundle.
  for (const task of serverTasks) {
    for (const f of SERVER_TASK_FILES) {
      const from = path.join(task.dir, f);
      if (!existsSync(from)) throw new Error(`${task.name}: ${f} missing from ${task.dir}`);
      copy(from, `tasks/${task.name}/${f}`);
    }
    const strings = path.join(task.dir, 'Strings');
    if (existsSync(strings)) copy(strings, `tasks/${task.name}/Strings`);
  }
  // The results tab (scripts/bundle.mjs bundleTab: index.html, tab.js, tab.css), when the manifest lists it.
  if ((manifest.files ?? []).some((f) => f.path === 'tab')) {
    if (!existsSync(path.join(distDir, 'tab', 'index.html'))) throw new Error(`the results tab is not built in ${path.join(distDir, 'tab')}; run scripts/bundle.mjs`);
    copy(path.join(distDir, 'tab'), 'tab');
  }
  // One SBOM per task, of the staged files themselves: written beside the .vsix and shipped under sbom/.
  const taskDirs = Object.fromEntries([...tasks, ...serverTasks].map((t) => [t.name, path.join(stageDir, 'tasks', t.name)]));
  for (const [name, file] of Object.entries(writeSboms({ root, distDir, taskDirs, outDir: path.join(distDir, 'sbom') }))) copy(file, `sbom/${name}.cdx.json`);
  out.files = [...(out.files ?? []), { path: 'sbom', addressable: true }];
  writeFileSync(path.join(stageDir, 'vss-extension.json'), JSON.stringify(out, null, 2) + '\n');
  staged.push('vss-extension.json');
  return staged;
}

export function parseArgs(argv) {
  const opts = { build: true, tasksDir: path.join(ROOT, 'tasks'), distDir: path.join(ROOT, 'dist'), publisher: undefined };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--no-build') opts.build = false;
    else if (a === '--tasks') opts.tasksDir = path.resolve(argv[++i]);
    else if (a === '--dist') opts.distDir = path.resolve(argv[++i]);
    else if (a === '--publisher') opts.publisher = argv[++i];
    else throw new Error(`unknown argument ${a}`);
  }
  return opts;
}

export async function packageExtension(opts, log = console.log) {
  const root = ROOT;
  const manifest = JSON.parse(readFileSync(path.join(root, 'vss-extension.json'), 'utf8'));
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  const tasks = findTasks(opts.tasksDir);
  const serverTasks = findServerTasks(opts.tasksDir);
  const problems = manifestProblems(manifest, [...tasks, ...serverTasks].map((t) => t.name), pkg.version);
  if (problems.length) throw new Error(`vss-extension.json:\n  ${problems.join('\n  ')}`);
  if (path.resolve(opts.tasksDir) === path.join(root, 'tasks')) {
    const drift = versionProblems(readVersionFiles(root));
    if (drift.length) throw new Error(`versions out of step with versions.json (fix: node scripts/version.mjs):\n  ${drift.join('\n  ')}`);
  }

  // Always rebuild unless told otherwise: tfx checks that execution targets exist, and a stale bundle
  // would pass that check.
  if (opts.build) await bundleAll({ tasksDir: opts.tasksDir, outDir: opts.distDir, smoke: true, measure: false, single: false }, log);
  const metaPath = path.join(opts.distDir, 'bundle-meta.json');
  if (!existsSync(metaPath)) throw new Error(`${metaPath} missing; run scripts/bundle.mjs first`);
  const bundleMeta = JSON.parse(readFileSync(metaPath, 'utf8'));

  const stageDir = path.join(opts.distDir, 'extension');
  stage({ root, distDir: opts.distDir, stageDir, manifest, tasks, serverTasks, bundleMeta });

  const tfx = path.join(root, 'node_modules', '.bin', 'tfx');
  const args = ['extension', 'create', '--root', stageDir, '--manifest-globs', 'vss-extension.json', '--output-path', opts.distDir + path.sep, '--no-prompt', '--json'];
  if (opts.publisher) args.push('--publisher', opts.publisher);
  const r = spawnSync(tfx, args, { cwd: root, encoding: 'utf8', env: { ...process.env, NO_UPDATE_NOTIFIER: '1' } });
  const output = `${r.stdout ?? ''}\n${r.stderr ?? ''}`;
  const warnings = tfxWarnings(output);
  if (r.status !== 0 || r.error) throw new Error(`tfx failed (exit ${r.status}): ${r.error?.message ?? output.trim()}`);
  if (warnings.length) throw new Error(`tfx warned (treated as failure):\n  ${warnings.join('\n  ')}`);
  let vsix;
  try {
    vsix = JSON.parse(r.stdout.slice(r.stdout.indexOf('{'))).path;
  } catch {
    throw new Error(`could not read tfx JSON output: ${r.stdout.trim()}`);
  }
  // Canonical zip: fixed order and timestamps, so two builds of the same inputs are the same bytes.
  writeFileSync(vsix, normaliseZip(readFileSync(vsix), { time: entryTime() }));
  const size = statSync(vsix).size;
  log(`${path.relative(process.cwd(), vsix) || vsix} ${(size / 1024).toFixed(0)} KB (${size} bytes)`);
  return { vsix, size, stageDir };
}

/** Staged files, relative to the stage folder, for reporting and tests. */
export function listTree(dir, base = dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const abs = path.join(dir, d.name);
    return d.isDirectory() ? listTree(abs, base) : [path.relative(base, abs).split(path.sep).join('/')];
  }).sort();
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  packageExtension(parseArgs(process.argv.slice(2))).catch((e) => {
    console.error(`package failed: ${e.message}`);
    process.exitCode = 1;
  });
}
