#!/usr/bin/env node
// One source of truth for versions: versions.json holds the extension version and each task's version.
// This script copies them where Azure DevOps and the code read them, and checks that nothing drifted:
//   extension  -> vss-extension.json "version", package.json "version",
//                 shared/gates/product.ts PRODUCT.version and userAgent (SARIF tool version, evidence records)
//   each task  -> tasks/<Task>/task.json version.Major/Minor/Patch
//
// How the extension version follows the tasks: agents cache a task by its version, and the Marketplace
// refuses an upload whose version is not higher than the last, so
//   - a task whose shipped behaviour changes gets a new version (patch: fixes; minor: new inputs or output;
//     major: a breaking change, which users must opt into by writing Task@<major> in YAML);
//   - every task bump also bumps the extension: a task patch bumps the extension patch, a task minor or major
//     bumps the extension minor (the extension itself stays 0.x until the first stable release);
//   - a change to the extension alone (overview, icons, the results tab) is `--bump extension patch|minor`.
// Several bumps between two releases are harmless: versions only need to increase.
//
// Usage:
//   node scripts/version.mjs                     write versions.json's versions everywhere
//   node scripts/version.mjs --check             exit 1 and list every copy that differs (used by a test)
//   node scripts/version.mjs --bump <Task> major|minor|patch
//   node scripts/version.mjs --bump extension major|minor|patch
//   node scripts/version.mjs --add <Task>        record a new task folder's task.json version (bumps the extension minor)
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;
const PRODUCT_FILE = 'shared/gates/product.ts';

/** [major, minor, patch] of "x.y.z"; throws naming `what` otherwise. */
export function parseVersion(v, what) {
  const m = SEMVER.exec(String(v));
  if (!m) throw new Error(`${what}: "${v}" is not a version of the form major.minor.patch`);
  return m.slice(1).map(Number);
}

/** v with `part` raised by one and the parts after it reset. */
export function bumpVersion(v, part) {
  const [a, b, c] = parseVersion(v, 'version');
  if (part === 'major') return `${a + 1}.0.0`;
  if (part === 'minor') return `${a}.${b + 1}.0`;
  if (part === 'patch') return `${a}.${b}.${c + 1}`;
  throw new Error(`bump takes major, minor or patch, not "${part}"`);
}

/** The extension part that follows a task bump: patch for a patch, minor for a minor or major. */
export function extensionPartFor(taskPart) {
  return taskPart === 'patch' ? 'patch' : 'minor';
}

const taskVersion = (t) => `${t.version?.Major}.${t.version?.Minor}.${t.version?.Patch}`;

/** Task folders holding a task.json, sorted. */
export function taskFolders(root) {
  const dir = path.join(root, 'tasks');
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(dir, d.name, 'task.json')))
    .map((d) => d.name)
    .sort();
}

/** The text of product.ts with the extension version in PRODUCT.version and PRODUCT.userAgent. */
export function withProductVersion(text, version) {
  return text
    .replace(/(\bversion:\s*')[^']*(')/, `$1${version}$2`)
    .replace(/(\buserAgent:\s*'mlops-gates\/)[^']*(')/, `$1${version}$2`);
}

/** Versions found in product.ts: { version, userAgent } (undefined when a field is missing). */
export function productVersions(text) {
  return {
    version: /\bversion:\s*'([^']*)'/.exec(text)?.[1],
    userAgent: /\buserAgent:\s*'mlops-gates\/([^']*)'/.exec(text)?.[1],
  };
}

/**
 * Every copy that differs from versions.json, and every task folder versions.json does not know (or the
 * reverse), as human-readable lines; empty when in step. Pure over the texts it is given.
 *   files: { 'versions.json', 'vss-extension.json', 'package.json', product: text, tasks: { Name: task.json text } }
 */
export function versionProblems(files) {
  const problems = [];
  const versions = JSON.parse(files['versions.json']);
  parseVersion(versions.extension, 'versions.json extension');
  const ext = versions.extension;
  const manifest = JSON.parse(files['vss-extension.json']);
  if (manifest.version !== ext) problems.push(`vss-extension.json version ${manifest.version} != ${ext}`);
  const pkg = JSON.parse(files['package.json']);
  if (pkg.version !== ext) problems.push(`package.json version ${pkg.version} != ${ext}`);
  const prod = productVersions(files.product);
  if (prod.version !== ext) problems.push(`${PRODUCT_FILE} PRODUCT.version ${prod.version} != ${ext}`);
  if (prod.userAgent !== ext) problems.push(`${PRODUCT_FILE} PRODUCT.userAgent mlops-gates/${prod.userAgent} != mlops-gates/${ext}`);
  const known = versions.tasks ?? {};
  for (const [name, text] of Object.entries(files.tasks)) {
    if (!(name in known)) {
      problems.push(`tasks/${name} is not in versions.json: run node scripts/version.mjs --add ${name}`);
      continue;
    }
    parseVersion(known[name], `versions.json tasks.${name}`);
    const v = taskVersion(JSON.parse(text));
    if (v !== known[name]) problems.push(`tasks/${name}/task.json version ${v} != ${known[name]}`);
  }
  for (const name of Object.keys(known)) {
    if (!(name in files.tasks)) problems.push(`versions.json lists ${name}, but tasks/${name}/task.json does not exist: remove it from versions.json`);
  }
  return problems;
}

/** The texts versionProblems compares, read from the repo at `root`. */
export function readVersionFiles(root = ROOT) {
  const read = (rel) => readFileSync(path.join(root, rel), 'utf8');
  const tasks = {};
  for (const name of taskFolders(root)) tasks[name] = read(`tasks/${name}/task.json`);
  return { 'versions.json': read('versions.json'), 'vss-extension.json': read('vss-extension.json'), 'package.json': read('package.json'), product: read(PRODUCT_FILE), tasks };
}

/** Replaces a top-level "version" value in JSON text, keeping the rest of the text as it is. */
function setJsonVersion(text, version) {
  const re = /^(\s{2}"version":\s*")[^"]*(")/m;
  if (!re.test(text)) throw new Error('no top-level "version" line found');
  return text.replace(re, `$1${version}$2`);
}

/** Writes versions.json's versions into every copy; returns the files changed. */
export function sync(root = ROOT) {
  const versions = JSON.parse(readFileSync(path.join(root, 'versions.json'), 'utf8'));
  const changed = [];
  const update = (rel, fn) => {
    const abs = path.join(root, rel);
    const before = readFileSync(abs, 'utf8');
    const after = fn(before);
    if (after !== before) { writeFileSync(abs, after); changed.push(rel); }
  };
  update('vss-extension.json', (t) => setJsonVersion(t, versions.extension));
  update('package.json', (t) => setJsonVersion(t, versions.extension));
  update(PRODUCT_FILE, (t) => withProductVersion(t, versions.extension));
  for (const [name, v] of Object.entries(versions.tasks ?? {})) {
    const rel = `tasks/${name}/task.json`;
    if (!existsSync(path.join(root, rel))) continue;
    const [Major, Minor, Patch] = parseVersion(v, `versions.json tasks.${name}`);
    update(rel, (t) => {
      const json = JSON.parse(t);
      if (taskVersion(json) === v) return t;
      // Rewrite only the version object so the rest of the hand-written task.json keeps its layout.
      const re = /("version"\s*:\s*)\{[^{}]*\}/;
      if (!re.test(t)) throw new Error(`${rel}: no "version" object found`);
      return t.replace(re, `$1{ "Major": ${Major}, "Minor": ${Minor}, "Patch": ${Patch} }`);
    });
  }
  return changed;
}

function saveVersions(root, versions) {
  const sorted = { ...versions, tasks: Object.fromEntries(Object.entries(versions.tasks).sort(([a], [b]) => a.localeCompare(b))) };
  writeFileSync(path.join(root, 'versions.json'), JSON.stringify(sorted, null, 2) + '\n');
}

/** Bumps a task (and the extension with it) or the extension alone, then syncs. Returns a summary line. */
export function bump(root, target, part) {
  const versions = JSON.parse(readFileSync(path.join(root, 'versions.json'), 'utf8'));
  const before = versions.extension;
  let line;
  if (target === 'extension') {
    versions.extension = bumpVersion(versions.extension, part);
    line = `extension ${before} -> ${versions.extension}`;
  } else {
    if (!(target in (versions.tasks ?? {}))) throw new Error(`unknown task "${target}": versions.json knows ${Object.keys(versions.tasks ?? {}).join(', ')} (a new folder: --add ${target})`);
    const old = versions.tasks[target];
    versions.tasks[target] = bumpVersion(old, part);
    versions.extension = bumpVersion(versions.extension, extensionPartFor(part));
    line = `${target} ${old} -> ${versions.tasks[target]}, extension ${before} -> ${versions.extension}`;
  }
  saveVersions(root, versions);
  sync(root);
  return line;
}

/** Records a new task folder's version from its task.json and bumps the extension minor. */
export function add(root, name) {
  const file = path.join(root, 'tasks', name, 'task.json');
  if (!existsSync(file)) throw new Error(`tasks/${name}/task.json does not exist`);
  const versions = JSON.parse(readFileSync(path.join(root, 'versions.json'), 'utf8'));
  if (name in versions.tasks) throw new Error(`${name} is already in versions.json (${versions.tasks[name]})`);
  const v = taskVersion(JSON.parse(readFileSync(file, 'utf8')));
  parseVersion(v, `tasks/${name}/task.json version`);
  versions.tasks[name] = v;
  const before = versions.extension;
  versions.extension = bumpVersion(versions.extension, 'minor');
  saveVersions(root, versions);
  sync(root);
  return `${name} ${v} added, extension ${before} -> ${versions.extension}`;
}

function main(argv) {
  const [cmd, a, b] = argv;
  if (cmd === '--check') {
    const problems = versionProblems(readVersionFiles(ROOT));
    if (problems.length) {
      console.error(`versions out of step with versions.json:\n  ${problems.join('\n  ')}\n(write them with: node scripts/version.mjs)`);
      process.exitCode = 1;
    } else console.log('versions in step with versions.json');
  } else if (cmd === '--bump') {
    if (!a || !b) throw new Error('usage: node scripts/version.mjs --bump <Task>|extension major|minor|patch');
    console.log(bump(ROOT, a, b));
  } else if (cmd === '--add') {
    if (!a) throw new Error('usage: node scripts/version.mjs --add <Task>');
    console.log(add(ROOT, a));
  } else if (cmd === undefined) {
    const changed = sync(ROOT);
    console.log(changed.length ? `wrote ${changed.join(', ')}` : 'versions already in step');
  } else throw new Error(`unknown argument ${cmd} (usage: node scripts/version.mjs [--check | --bump <Task>|extension <part> | --add <Task>])`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  try { main(process.argv.slice(2)); } catch (e) { console.error(`version: ${e.message}`); process.exitCode = 1; }
}
