#!/usr/bin/env node
// A CycloneDX 1.5 SBOM per task: what the .vsix actually ships, not what package.json declares.
//
// Components come from esbuild's metafile of the task's bundle (dist/metafiles/<Task>.json, written by
// scripts/bundle.mjs): every npm package with at least one byte in a shipped .js file, at the path it was
// bundled from, so two copies of one package are two components. Version and license are read from that
// copy's package.json; the hash is the registry tarball's integrity from package-lock.json (SHA-512, which
// anyone can check against the registry); the distribution URL is the lockfile's `resolved`.
// Each shipped file of the task (index.js, sdk.js, a .wasm copied out of a package…) is a `file` component
// with its SHA-256, so the SBOM also pins the bytes on the agent. `dependencies` is the lockfile's graph cut
// down to the bundled packages, with the task depending on what our own code imports.
// No timestamp and a serial number derived from the content: the same bundle gives the same SBOM bytes.
//
//   dist/sbom/<Task>.cdx.json   (scripts/package.mjs also ships them in the .vsix under sbom/)
//
// Usage: node scripts/sbom.mjs [--dist dir]   (after node scripts/bundle.mjs; SBOMs of dist/tasks/*)
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PROJECT = 'https://github.com/mlops-gates/mlops-gates';

/** Package root ("…node_modules/name") and name of a bundled input path; undefined for our own sources. */
export function packageOfInput(input) {
  const p = input.replace(/\\/g, '/').replace(/^lazy-stub:/, '');
  const m = /^(.*node_modules\/((?:@[^/]+\/)?[^/]+))\//.exec(p);
  return m ? { root: m[1], name: m[2] } : undefined;
}

/**
 * Packages with bytes in the shipped .js outputs of a metafile: Map root -> { root, name, bytes }. Source
 * maps are not shipped; an input esbuild tree-shook to nothing is not in the bundle.
 */
export function bundledPackages(metafile) {
  const out = new Map();
  for (const [file, o] of Object.entries(metafile.outputs ?? {})) {
    if (!file.endsWith('.js')) continue;
    for (const [input, v] of Object.entries(o.inputs ?? {})) {
      if (input.startsWith('lazy-stub:') || !(v.bytesInOutput > 0)) continue;
      const p = packageOfInput(input);
      if (!p) continue;
      const e = out.get(p.root) ?? { ...p, bytes: 0 };
      e.bytes += v.bytesInOutput;
      out.set(p.root, e);
    }
  }
  return out;
}

/** Roots of the packages our own code (or the generated sdk.js entry) imports directly. */
export function directImports(metafile, bundled) {
  const roots = new Set();
  for (const [file, input] of Object.entries(metafile.inputs ?? {})) {
    if (packageOfInput(file)) continue;
    for (const imp of input.imports ?? []) {
      const p = packageOfInput(imp.path);
      if (p && bundled.has(p.root)) roots.add(p.root);
    }
  }
  return roots;
}

/** Where Node would find `dep` required from the package at `root`: nested first, then each parent. */
export function resolveFrom(root, dep, exists) {
  let dir = root;
  for (;;) {
    const candidate = `${dir}/node_modules/${dep}`;
    if (exists(candidate)) return candidate;
    const up = dir.lastIndexOf('/node_modules/');
    if (up < 0) return exists(`node_modules/${dep}`) ? `node_modules/${dep}` : undefined;
    dir = dir.slice(0, up);
  }
}

/** CycloneDX hash from an npm integrity string ("sha512-<base64>"); undefined for unknown algorithms. */
export function integrityHash(integrity) {
  const m = /^(sha512|sha384|sha256|sha1)-([A-Za-z0-9+/=]+)$/.exec(String(integrity ?? '').split(/\s+/)[0]);
  if (!m) return undefined;
  const alg = { sha512: 'SHA-512', sha384: 'SHA-384', sha256: 'SHA-256', sha1: 'SHA-1' }[m[1]];
  return { alg, content: Buffer.from(m[2], 'base64').toString('hex') };
}

/** Package URL of an npm package: pkg:npm/%40scope/name@version. */
export function purl(name, version) {
  const [scope, bare] = name.startsWith('@') ? name.split('/') : [undefined, name];
  return `pkg:npm/${scope ? encodeURIComponent(scope) + '/' : ''}${encodeURIComponent(bare)}@${encodeURIComponent(version)}`;
}

// SPDX ids the CycloneDX schema knows and our dependency tree uses; anything else is given as an expression.
const SPDX_IDS = new Set(['MIT', 'ISC', 'Apache-2.0', 'BSD-2-Clause', 'BSD-3-Clause', '0BSD', 'BlueOak-1.0.0', 'Python-2.0', 'Unlicense', 'CC0-1.0', 'MPL-2.0']);

/** CycloneDX `licenses` from a package.json license field (string, or the old { type } / [{ type }] forms). */
export function licenses(pkgJson) {
  let lic = pkgJson.license ?? pkgJson.licenses;
  if (Array.isArray(lic)) lic = lic.map((l) => l.type ?? l).join(' OR ');
  else if (lic && typeof lic === 'object') lic = lic.type;
  if (typeof lic !== 'string' || !lic.trim()) return undefined;
  lic = lic.trim();
  if (SPDX_IDS.has(lic)) return [{ license: { id: lic } }];
  if (/^\(?[A-Za-z0-9.+\- ()]+\)?$/.test(lic) && /\b(OR|AND|WITH)\b/.test(lic)) return [{ expression: lic }];
  return [{ license: { name: lic } }];
}

/** A UUID (version 5 layout) from the SHA-256 of `text`: the same document, the same serial number. */
export function contentUuid(text) {
  const h = createHash('sha256').update(text).digest();
  h[6] = (h[6] & 0x0f) | 0x50;
  h[8] = (h[8] & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

/**
 * The SBOM of one task (pure: every file read comes through `readPackageJson`).
 *   task      { name, version, description }
 *   metafile  the task's merged esbuild metafile (paths relative to the repo)
 *   lock      package-lock.json (v2/v3: `packages` keyed by install path)
 *   shipped   [{ path, sha256, bytes, copiedFrom? }] files of the staged task folder
 *   tools     [{ name, version }] that made the bundle
 */
export function buildSbom({ task, metafile, lock, readPackageJson, shipped = [], tools = [] }) {
  const bundled = bundledPackages(metafile);
  const lockPackages = lock.packages ?? {};
  const taskRef = `task:${task.name}`;
  const roots = [...bundled.keys()].sort();
  const components = roots.map((root) => {
    const { name, bytes } = bundled.get(root);
    const pj = readPackageJson(root);
    const entry = lockPackages[root] ?? {};
    const version = pj.version ?? entry.version;
    if (!version) throw new Error(`${root}: no version in its package.json or in package-lock.json`);
    const [group, bare] = name.startsWith('@') ? name.split('/') : [undefined, name];
    const hash = integrityHash(entry.integrity);
    return {
      type: 'library',
      'bom-ref': root,
      ...(group ? { group } : {}),
      name: bare,
      version,
      ...(licenses(pj) ? { licenses: licenses(pj) } : {}),
      purl: purl(name, version),
      ...(hash ? { hashes: [hash] } : {}),
      ...(entry.resolved ? { externalReferences: [{ type: 'distribution', url: entry.resolved }] } : {}),
      properties: [
        { name: 'mlops-gates:installPath', value: root },
        { name: 'mlops-gates:bytesInBundle', value: String(bytes) },
        ...(entry.dev ? [{ name: 'mlops-gates:lockfileDevOnly', value: 'true' }] : []),
        ...(entry.hasInstallScript ? [{ name: 'mlops-gates:hasInstallScript', value: 'true' }] : []),
      ],
    };
  });
  const files = [...shipped].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)).map((f) => ({
    type: 'file',
    'bom-ref': `file:${task.name}/${f.path}`,
    name: `tasks/${task.name}/${f.path}`,
    hashes: [{ alg: 'SHA-256', content: f.sha256 }],
    properties: [
      { name: 'mlops-gates:bytes', value: String(f.bytes) },
      ...(f.copiedFrom ? [{ name: 'mlops-gates:copiedFrom', value: f.copiedFrom }] : []),
    ],
  }));
  const exists = (p) => bundled.has(p);
  const dependencies = [
    { ref: taskRef, dependsOn: [...directImports(metafile, bundled)].sort() },
    ...roots.map((root) => {
      const deps = Object.keys({ ...lockPackages[root]?.dependencies, ...lockPackages[root]?.optionalDependencies, ...lockPackages[root]?.peerDependencies });
      const found = deps.map((d) => resolveFrom(root, d, exists)).filter(Boolean);
      return { ref: root, dependsOn: [...new Set(found)].sort() };
    }),
  ];
  const bom = {
    bomFormat: 'CycloneDX',
    specVersion: '1.5',
    serialNumber: '',
    version: 1,
    metadata: {
      tools: { components: [{ type: 'application', name: 'mlops-gates scripts/sbom.mjs' }, ...tools.map((t) => ({ type: 'application', name: t.name, ...(t.version ? { version: t.version } : {}) }))] },
      component: {
        type: 'application',
        'bom-ref': taskRef,
        group: 'mlops-gates',
        name: task.name,
        version: task.version,
        ...(task.description ? { description: task.description } : {}),
        externalReferences: [{ type: 'vcs', url: PROJECT }],
      },
    },
    components: [...components, ...files],
    dependencies,
  };
  bom.serialNumber = `urn:uuid:${contentUuid(JSON.stringify(bom))}`;
  return bom;
}

const sha256 = (buf) => createHash('sha256').update(buf).digest('hex');

/** Files under dir, relative with forward slashes, sorted. */
function listFiles(dir, base = dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const abs = path.join(dir, d.name);
    return d.isDirectory() ? listFiles(abs, base) : [path.relative(base, abs).split(path.sep).join('/')];
  }).sort();
}

/**
 * For a shipped file that is not a bundle output (e.g. a .wasm copied beside the bundle), the file of a
 * bundled package with the same name and bytes, so the SBOM says where it came from.
 */
function findCopiedFrom(root, file, buf, packageRoots) {
  const base = path.posix.basename(file);
  const digest = sha256(buf);
  for (const pkg of packageRoots) {
    const stack = [path.join(root, pkg)];
    while (stack.length) {
      const dir = stack.pop();
      for (const d of readdirSync(dir, { withFileTypes: true })) {
        const abs = path.join(dir, d.name);
        if (d.isDirectory()) { if (d.name !== 'node_modules') stack.push(abs); continue; }
        if (d.name === base && statSync(abs).size === buf.length && sha256(readFileSync(abs)) === digest) {
          return path.relative(root, abs).split(path.sep).join('/');
        }
      }
    }
  }
  return undefined;
}

/** The shipped files of a task folder: [{ path, sha256, bytes, copiedFrom? }] (source maps left out). */
export function shippedFiles(taskDir, { root = ROOT, outputs = [], packageRoots = [] } = {}) {
  return listFiles(taskDir).filter((f) => !f.endsWith('.map')).map((f) => {
    const buf = readFileSync(path.join(taskDir, f));
    const own = (f.endsWith('.js') && outputs.includes(f)) || ['task.json', 'icon.png'].includes(f) || f.startsWith('Strings/');
    const copiedFrom = own ? undefined : findCopiedFrom(root, f, buf, packageRoots);
    return { path: f, sha256: sha256(buf), bytes: buf.length, ...(copiedFrom ? { copiedFrom } : {}) };
  });
}

/**
 * Writes <outDir>/<Task>.cdx.json for each task folder in `taskDirs` ({ name: folder of shipped files, task.json
 * included }).
 * A task with a metafile in <distDir>/metafiles is a bundled task; one without (a server task) has files only.
 * Returns { name: path written }.
 */
export function writeSboms({ root = ROOT, distDir, taskDirs, outDir = path.join(distDir, 'sbom') }) {
  const lock = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8'));
  const metaPath = path.join(distDir, 'bundle-meta.json');
  const bundleMeta = existsSync(metaPath) ? JSON.parse(readFileSync(metaPath, 'utf8')) : { tasks: {} };
  const readPackageJson = (pkgRoot) => JSON.parse(readFileSync(path.join(root, pkgRoot, 'package.json'), 'utf8'));
  mkdirSync(outDir, { recursive: true });
  const written = {};
  for (const [name, dir] of Object.entries(taskDirs).sort()) {
    const taskJson = JSON.parse(readFileSync(path.join(dir, 'task.json'), 'utf8'));
    const version = `${taskJson.version.Major}.${taskJson.version.Minor}.${taskJson.version.Patch}`;
    const metaFile = path.join(distDir, 'metafiles', `${name}.json`);
    const isBundled = Boolean(bundleMeta.tasks?.[name]);
    if (isBundled && !existsSync(metaFile)) throw new Error(`${metaFile} missing: bundle again (node scripts/bundle.mjs) to record what went into ${name}`);
    const metafile = isBundled ? JSON.parse(readFileSync(metaFile, 'utf8')) : { inputs: {}, outputs: {} };
    const packageRoots = [...bundledPackages(metafile).keys()];
    const shipped = shippedFiles(dir, { root, outputs: Object.keys(bundleMeta.tasks?.[name]?.files ?? {}), packageRoots });
    const tools = isBundled ? [{ name: 'esbuild', version: bundleMeta.esbuild }] : [];
    const bom = buildSbom({ task: { name, version, description: taskJson.description }, metafile, lock, readPackageJson, shipped, tools });
    const file = path.join(outDir, `${name}.cdx.json`);
    writeFileSync(file, JSON.stringify(bom, null, 2) + '\n');
    written[name] = file;
  }
  return written;
}

function main(argv) {
  let distDir = path.join(ROOT, 'dist');
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--dist') distDir = path.resolve(argv[++i]);
    else throw new Error(`unknown argument ${argv[i]} (usage: node scripts/sbom.mjs [--dist dir])`);
  }
  const metaPath = path.join(distDir, 'bundle-meta.json');
  if (!existsSync(metaPath)) throw new Error(`${metaPath} missing: run node scripts/bundle.mjs first`);
  const taskDirs = {};
  for (const name of Object.keys(JSON.parse(readFileSync(metaPath, 'utf8')).tasks ?? {})) taskDirs[name] = path.join(distDir, 'tasks', name);
  for (const [name, file] of Object.entries(writeSboms({ distDir, taskDirs }))) {
    const bom = JSON.parse(readFileSync(file, 'utf8'));
    console.log(`${name}: ${bom.components.filter((c) => c.type === 'library').length} packages -> ${path.relative(process.cwd(), file)}`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  try { main(process.argv.slice(2)); } catch (e) { console.error(`sbom failed: ${e.message}`); process.exitCode = 1; }
}
