/**
 * The two trees of the content-scan benchmark, made under .cache/bench-trees/ and reused when their stamp matches:
 *   ordinary/  ~200 MB of real code: .py/.js/.json/.md/.yml/.ts files of this repo's node_modules, then of the
 *              machine's Python installation, copied until the size is reached.
 *   dense/     ~200 MB generated: source and config files with secrets of many families planted at known lines,
 *              notebooks whose secrets are only in outputs (next to image payloads), pickles (benign and with
 *              os.system, written opcode by opcode), PyTorch zips, npz, safetensors, ARM templates. manifest.json
 *              lists every planted secret as {family, file, line, sha256}, never the value.
 * Each tree also gets hard-linked subsets: half/ (every 2nd file, for the flat-memory check) and tenth/ (every 10th
 * file, for the slow reference scanner), so the same bytes are compared on the same subset.
 */
import { createHash, generateKeyPairSync, randomBytes, randomInt } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, linkSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import * as zlib from 'node:zlib';
import {
  adoLegacyPat, caskKey, crc32Token, entraSecret, hisV1Key, jwt, legacyStorageKey, randomBase62, randomFrom, randomHex, sharedAccessKey,
} from '../test/unit/scan/detectors/_generate';

export interface Planted {
  family: string;
  /** Path relative to the tree root, '/' separated. */
  file: string;
  /** 1-based line in the file as stored on disk. */
  line: number;
  /** Lines the value spans (a PEM block spans several); a finding on any of them counts. */
  lines: number;
  /** sha256 of the value, so a report can name a secret without holding it. */
  sha256: string;
}

export interface DenseManifest {
  version: number;
  secrets: Planted[];
  /** Model files that must raise a critical finding (dangerous imports), relative paths. */
  dangerousModels: string[];
  benignModels: string[];
  /** ARM templates that open a workspace to the internet / that are hardened. */
  insecureTemplates: string[];
  hardenedTemplates: string[];
}

export interface TreeInfo {
  root: string;
  files: number;
  bytes: number;
  subsets: Record<'half' | 'tenth', { root: string; files: number; bytes: number }>;
}

const TREE_VERSION = 4;
const CODE_EXT = /\.(py|js|json|md|yml|ts)$/u;

// ---------------------------------------------------------------------------------------------------------------
// Subsets by hard link (no extra bytes on disk)

function listFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) out.push(p);
    }
  };
  walk(root);
  return out;
}

function makeSubset(files: string[], src: string, dest: string, every: number): { root: string; files: number; bytes: number } {
  rmSync(dest, { recursive: true, force: true });
  let n = 0;
  let bytes = 0;
  files.forEach((f, i) => {
    if (i % every !== 0) return;
    const to = join(dest, relative(src, f));
    mkdirSync(dirname(to), { recursive: true });
    linkSync(f, to);
    n++;
    bytes += statSync(f).size;
  });
  return { root: dest, files: n, bytes };
}

function finish(base: string, name: string, extra: Record<string, unknown> = {}): TreeInfo {
  const root = join(base, name, 'tree');
  const files = listFiles(root).filter((f) => !f.endsWith('manifest.json'));
  const bytes = files.reduce((s, f) => s + statSync(f).size, 0);
  const info: TreeInfo = {
    root,
    files: files.length,
    bytes,
    subsets: {
      half: makeSubset(files, root, join(base, name, 'half'), 2),
      tenth: makeSubset(files, root, join(base, name, 'tenth'), 10),
    },
  };
  writeFileSync(join(base, name, 'stamp.json'), JSON.stringify({ version: TREE_VERSION, ...extra, info }, null, 1));
  return info;
}

function reuse(base: string, name: string, targetBytes: number): TreeInfo | undefined {
  const stamp = join(base, name, 'stamp.json');
  if (!existsSync(stamp)) return undefined;
  const s = JSON.parse(readFileSync(stamp, 'utf8')) as { version: number; targetBytes: number; info: TreeInfo };
  if (s.version !== TREE_VERSION || s.targetBytes !== targetBytes) return undefined;
  // Paths are derived from where the trees are now, not from the stamp: a tree made through a relative base
  // must not hand a relative path to a tool that runs in another folder.
  const at = (sub: string) => join(resolve(base), name, sub);
  return {
    ...s.info,
    root: at('tree'),
    subsets: { half: { ...s.info.subsets.half, root: at('half') }, tenth: { ...s.info.subsets.tenth, root: at('tenth') } },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Ordinary code

export function ordinaryTree(baseDir: string, targetBytes: number, repoRoot: string): TreeInfo {
  const base = resolve(baseDir);
  const have = reuse(base, 'ordinary', targetBytes);
  if (have) return have;
  const root = join(base, 'ordinary', 'tree');
  rmSync(join(base, 'ordinary'), { recursive: true, force: true });
  const py = spawnSync('python3', ['-c', 'import sysconfig; print(sysconfig.get_paths()["stdlib"])'], { encoding: 'utf8' });
  const sources: Array<[label: string, dir: string]> = [['npm', join(repoRoot, 'node_modules')]];
  if (py.status === 0 && py.stdout.trim()) sources.push(['python', py.stdout.trim()]);
  let bytes = 0;
  outer: for (const [label, dir] of sources) {
    for (const f of listFiles(dir)) {
      if (!CODE_EXT.test(f)) continue;
      const size = statSync(f).size;
      if (size === 0 || size > 4 * 2 ** 20) continue;
      // Scanners skip folders named node_modules by default; renamed so every tool reads the same bytes.
      const to = join(root, label, relative(dir, f).split(sep).map((s) => (s === 'node_modules' ? 'nm' : s)).join(sep));
      mkdirSync(dirname(to), { recursive: true });
      copyFileSync(f, to);
      bytes += size;
      if (bytes >= targetBytes) break outer;
    }
  }
  return finish(base, 'ordinary', { targetBytes, sources: sources.map(([l]) => l) });
}

// ---------------------------------------------------------------------------------------------------------------
// Secret-dense tree

const WORDS = 'model data train score batch epoch loss metric feature label input output config client token value result cache index table frame'.split(' ');
const word = () => WORDS[randomInt(WORDS.length)];

/** Filler lines shaped like ordinary code of the given language; no secret-shaped values. */
function fillerLine(lang: string): string {
  const a = `${word()}_${word()}`;
  const n = randomInt(1000);
  switch (lang) {
    case 'py':
      return [`def ${a}_${n}(x, y=${n}):`, `    return x * ${n} + y  # ${word()} ${word()} ${word()}`, `${a} = [${n}, ${n + 1}, ${n + 2}]`, `import ${word()}_utils as ${word()}`, `    log.info("${word()} %s ${word()}", ${a})`][randomInt(5)];
    case 'js':
      return [`function ${a}${n}(x) { return x + ${n}; }`, `const ${a} = require('./${word()}');`, `  ${a}.push({ id: ${n}, name: '${word()}' });`, `// ${word()} ${word()} ${word()} ${word()}`][randomInt(4)];
    case 'yml':
      return [`${a}: ${n}`, `  - name: ${word()}-${n}`, `    path: ./${word()}/${word()}.csv`, `# ${word()} ${word()}`][randomInt(4)];
    default:
      return [`${a.toUpperCase()}=${word()}${n}`, `# ${word()} ${word()}`][randomInt(2)];
  }
}

interface Family {
  family: string;
  langs: string[];
  /** Returns the line(s) to plant and the secret value inside them. */
  make(lang: string): { lines: string[]; value: string };
}

const q = (lang: string, name: string, v: string) =>
  lang === 'yml' ? `${name}: ${v}` : lang === 'env' ? `${name.toUpperCase()}=${v}` : lang === 'js' ? `const ${name} = "${v}";` : `${name} = "${v}"`;

const FAMILIES: Family[] = [
  { family: 'azure-storage-key-his', langs: ['py', 'js', 'yml', 'env'], make: (l) => { const v = hisV1Key('+ASt', 64, 'Default0'); return { value: v, lines: [q(l, 'conn_str', `DefaultEndpointsProtocol=https;AccountName=mlstore${randomInt(999)};AccountKey=${v};EndpointSuffix=core.windows.net`)] }; } },
  { family: 'azure-storage-key-legacy', langs: ['py', 'js', 'env'], make: (l) => { const v = legacyStorageKey(); return { value: v, lines: [q(l, 'storage_conn', `DefaultEndpointsProtocol=https;AccountName=data${randomInt(999)};AccountKey=${v};EndpointSuffix=core.windows.net`)] }; } },
  { family: 'azure-cosmos-key', langs: ['py', 'yml'], make: (l) => { const v = hisV1Key('ACDb', 64, 'MastRW00'); return { value: v, lines: [q(l, 'cosmos_key', v)] }; } },
  { family: 'azure-servicebus-connstr', langs: ['py', 'js', 'env'], make: (l) => { const v = sharedAccessKey(); return { value: v, lines: [q(l, 'sb_conn', `Endpoint=sb://bus${randomInt(999)}.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=${v}`)] }; } },
  { family: 'azure-eventhubs-his', langs: ['py', 'yml'], make: (l) => { const v = hisV1Key('+AEh', 32, 'Send0000'); return { value: v, lines: [q(l, 'eh_conn', `Endpoint=sb://ev${randomInt(999)}.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=${v};EntityPath=t`)] }; } },
  { family: 'azure-sas-url', langs: ['py', 'js', 'yml'], make: (l) => { const v = encodeURIComponent(randomBytes(32).toString('base64')); return { value: v, lines: [q(l, 'blob_url', `https://acct${randomInt(999)}.blob.core.windows.net/data/train.csv?sv=2022-11-02&ss=b&srt=o&sp=r&se=2030-01-01T00:00:00Z&st=2024-01-01T00:00:00Z&spr=https&sig=${v}`)] }; } },
  { family: 'azure-entra-secret', langs: ['py', 'js', 'env'], make: (l) => { const v = entraSecret(); return { value: v, lines: [q(l, 'client_secret', v)] }; } },
  { family: 'azure-devops-pat-legacy', langs: ['py', 'env', 'yml'], make: (l) => { const v = adoLegacyPat(); return { value: v, lines: [q(l, 'azure_devops_pat', v)] }; } },
  { family: 'azure-devops-pat-cask', langs: ['py', 'env'], make: (l) => { const v = caskKey('AZDO', 'AAAS'); return { value: v, lines: [q(l, 'ado_token', v)] }; } },
  { family: 'azure-openai-cask', langs: ['py', 'js', 'env'], make: (l) => { const v = caskKey('ACOG', 'AAAB'); return { value: v, lines: [q(l, 'azure_openai_api_key', v)] }; } },
  { family: 'azure-search-key', langs: ['py', 'js'], make: (l) => { const v = hisV1Key('AzSe', 39, 'PAdmin00', 'base62'); return { value: v, lines: [q(l, 'search_admin_key', v)] }; } },
  { family: 'azure-functions-key', langs: ['js', 'py'], make: (l) => { const v = hisV1Key('AzFu', 40, 'Functi00', 'base64url'); return { value: v, lines: [q(l, 'function_url', `https://fn${randomInt(999)}.azurewebsites.net/api/score?code=${v}`)] }; } },
  { family: 'azure-acr-key', langs: ['py', 'yml'], make: (l) => { const v = hisV1Key('+ACR', 39, 'ACRDflt0'); return { value: v, lines: [q(l, 'acr_password', v)] }; } },
  { family: 'azureml-datastore-account-key', langs: ['yml'], make: () => { const v = legacyStorageKey(); return { value: v, lines: ['$schema: https://azuremlschemas.azureedge.net/latest/azureBlob.schema.json', 'type: azure_blob', `account_name: mlblob${randomInt(999)}`, 'credentials:', `  account_key: ${v}`] }; } },
  { family: 'az-login-password', langs: ['sh'], make: () => { const v = randomFrom('abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789~._-', 34); return { value: v, lines: [`az login --service-principal -u ${randomHex(8)}-${randomHex(4)}-${randomHex(4)}-${randomHex(4)}-${randomHex(12)} -p '${v}' --tenant ${randomHex(8)}-${randomHex(4)}-${randomHex(4)}-${randomHex(4)}-${randomHex(12)}`] }; } },
  { family: 'private-key-ec', langs: ['pem'], make: () => { const v = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString().trimEnd(); return { value: v, lines: v.split('\n') }; } },
  { family: 'github-pat', langs: ['py', 'js', 'env', 'yml'], make: (l) => { const v = crc32Token('ghp_'); return { value: v, lines: [q(l, 'github_token', v)] }; } },
  { family: 'npm-token', langs: ['env', 'js'], make: (l) => { const v = crc32Token('npm_'); return { value: v, lines: [q(l, 'npm_token', v)] }; } },
  { family: 'slack-bot-token', langs: ['py', 'js', 'env'], make: (l) => { const v = `xoxb-${randomFrom('0123456789', 12)}-${randomFrom('0123456789', 13)}-${randomBase62(24)}`; return { value: v, lines: [q(l, 'slack_token', v)] }; } },
  { family: 'aws-access-key', langs: ['py', 'env', 'yml'], make: (l) => { const v = `AKIA${randomFrom('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 16)}`; return { value: v, lines: [q(l, 'aws_access_key_id', v)] }; } },
  { family: 'aws-secret-key', langs: ['py', 'env'], make: (l) => { const v = randomFrom('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/', 40); return { value: v, lines: [q(l, 'aws_secret_access_key', v)] }; } },
  { family: 'jwt', langs: ['py', 'js'], make: (l) => { const v = jwt({ sub: randomHex(8), iss: 'https://login.example.invalid/', exp: 1900000000 }); return { value: v, lines: [q(l, 'bearer_token', v)] }; } },
  { family: 'generic-password', langs: ['py', 'yml', 'env'], make: (l) => { const v = randomBase62(6) + randomFrom('!#%&*', 1) + randomBase62(14); return { value: v, lines: [q(l, 'db_password', v)] }; } },
];

const EXT: Record<string, string> = { py: '.py', js: '.js', yml: '.yml', env: '.env', sh: '.sh', pem: '.pem' };
const sha = (v: string) => createHash('sha256').update(v).digest('hex');

/** Writes lines; returns the 1-based line where each planted value starts. */
function plantFile(lang: string, approxBytes: number, plants: Array<{ lines: string[] }>): { text: string; starts: number[] } {
  const out: string[] = [];
  const starts: number[] = [];
  const fillerCount = Math.max(plants.length + 1, Math.round(approxBytes / 32));
  const at = new Set<number>();
  while (at.size < plants.length) at.add(randomInt(fillerCount));
  const order = [...at].sort((a, b) => a - b);
  let p = 0;
  for (let i = 0; i < fillerCount; i++) {
    if (p < order.length && order[p] === i) {
      starts.push(out.length + 1);
      out.push(...plants[p].lines);
      p++;
    }
    out.push(lang === 'pem' ? `# ${word()} ${word()}` : fillerLine(lang));
  }
  return { text: `${out.join('\n')}\n`, starts };
}

/** Line (1-based) of the first occurrence of `needle` in `text`. */
function lineOf(text: string, needle: string): number {
  const i = text.indexOf(needle);
  if (i < 0) throw new Error('planted value not in the file');
  let n = 1;
  for (let j = text.indexOf('\n'); j >= 0 && j < i; j = text.indexOf('\n', j + 1)) n++;
  return n;
}

function notebook(fam: Family): { text: string; value: string } {
  const { value, lines } = fam.make('py');
  // The secret shows only in an output, as `print(os.environ)` or a failing call would show it.
  const png = randomBytes(24_000).toString('base64');
  const nb = {
    cells: [
      { cell_type: 'markdown', metadata: {}, source: [`# ${word()} ${word()} experiment\n`, 'Loads the data and trains.\n'] },
      { cell_type: 'code', execution_count: 1, metadata: {}, source: ['import os\n', 'print(config_dump())\n'], outputs: [
        { output_type: 'stream', name: 'stdout', text: [`${word()} loaded\n`, ...lines.map((x) => `${x}\n`), `${word()} done\n`] },
      ] },
      { cell_type: 'code', execution_count: 2, metadata: {}, source: ['plot_loss(history)\n'], outputs: [
        { output_type: 'display_data', metadata: {}, data: { 'image/png': png, 'text/plain': ['<Figure size 640x480 with 1 Axes>'] } },
      ] },
      ...Array.from({ length: 20 }, (_, i) => ({ cell_type: 'code', execution_count: 3 + i, metadata: {}, source: Array.from({ length: 8 }, () => `${fillerLine('py')}\n`), outputs: [] })),
    ],
    metadata: { kernelspec: { display_name: 'Python 3', language: 'python', name: 'python3' } },
    nbformat: 4,
    nbformat_minor: 5,
  };
  return { text: `${JSON.stringify(nb, null, 1)}\n`, value };
}

// ---- pickles, written opcode by opcode (protocol 2) ----

function pickleString(s: string): Buffer {
  const b = Buffer.from(s, 'utf8');
  const h = Buffer.alloc(5);
  h[0] = 0x58; // BINUNICODE
  h.writeUInt32LE(b.length, 1);
  return Buffer.concat([h, b]);
}

/** A dict {name: [floats...]} of about `bytes` bytes: only safe opcodes. */
function benignPickle(bytes: number): Buffer {
  const parts: Buffer[] = [Buffer.from([0x80, 0x02, 0x7d])]; // PROTO 2, EMPTY_DICT
  const perList = 4096;
  let size = 0;
  while (size < bytes) {
    parts.push(pickleString(`layer_${word()}_${size}`), Buffer.from([0x5d, 0x28])); // EMPTY_LIST, MARK
    const floats = Buffer.alloc(perList * 9);
    for (let i = 0; i < perList; i++) {
      floats[i * 9] = 0x47; // BINFLOAT, big-endian double
      floats.writeDoubleBE(Math.random() - 0.5, i * 9 + 1);
    }
    parts.push(floats, Buffer.from([0x65, 0x73])); // APPENDS, SETITEM
    size += floats.length;
  }
  parts.push(Buffer.from([0x2e])); // STOP
  return Buffer.concat(parts);
}

/** The classic payload: GLOBAL os.system, a command string, TUPLE1, REDUCE; after a benign body. */
function dangerousPickle(bytes: number): Buffer {
  const body = benignPickle(bytes).subarray(0, -1);
  // 0x30 POP discards the dict, then the payload becomes the unpickled value.
  return Buffer.concat([body, Buffer.from([0x30]), Buffer.from('cos\nsystem\n', 'latin1'), pickleString('echo pwned > /tmp/x'), Buffer.from([0x85, 0x52, 0x2e])]);
}

// ---- zip (stored) for PyTorch archives and npz ----

function zipStored(entries: Array<[name: string, data: Buffer]>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, data] of entries) {
    const n = Buffer.from(name);
    const crc = zlib.crc32(data);
    const lh = Buffer.alloc(30);
    lh.writeUInt32LE(0x04034b50, 0); lh.writeUInt16LE(20, 4); lh.writeUInt32LE(crc, 14);
    lh.writeUInt32LE(data.length, 18); lh.writeUInt32LE(data.length, 22); lh.writeUInt16LE(n.length, 26);
    const ch = Buffer.alloc(46);
    ch.writeUInt32LE(0x02014b50, 0); ch.writeUInt16LE(20, 4); ch.writeUInt16LE(20, 6); ch.writeUInt32LE(crc, 16);
    ch.writeUInt32LE(data.length, 20); ch.writeUInt32LE(data.length, 24); ch.writeUInt16LE(n.length, 28); ch.writeUInt32LE(offset, 42);
    locals.push(lh, n, data);
    centrals.push(ch, n);
    offset += 30 + n.length + data.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(entries.length, 8); end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12); end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

function npy(floats: number): Buffer {
  let header = `{'descr': '<f8', 'fortran_order': False, 'shape': (${floats},), }`;
  header += ' '.repeat(63 - ((10 + header.length) % 64)) + '\n';
  const h = Buffer.alloc(10);
  Buffer.from('\x93NUMPY', 'latin1').copy(h);
  h[6] = 1; h[7] = 0; h.writeUInt16LE(header.length, 8);
  return Buffer.concat([h, Buffer.from(header, 'latin1'), randomBytes(floats * 8)]);
}

function safetensors(floats: number): Buffer {
  const header = Buffer.from(JSON.stringify({ __metadata__: { format: 'pt' }, 'dense.weight': { dtype: 'F32', shape: [floats], data_offsets: [0, floats * 4] } }));
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(header.length));
  return Buffer.concat([len, header, randomBytes(floats * 4)]);
}

/**
 * Insecure: a workspace open to the internet. Hardened: the project's own test fixture, on which every workspace rule
 * passes, so any finding there is a false positive of ours.
 */
function armWorkspace(insecure: boolean): string {
  if (!insecure) return readFileSync(join(__dirname, '..', '..', 'test', 'fixtures', 'templates', 'workspace-hardened.json'), 'utf8');
  const ws = {
    type: 'Microsoft.MachineLearningServices/workspaces', apiVersion: '2022-10-01', name: "[parameters('workspaceName')]", location: "[resourceGroup().location]",
    identity: { type: 'SystemAssigned' },
    properties: {
      friendlyName: 'bench', storageAccount: "[parameters('storageId')]", keyVault: "[parameters('keyVaultId')]", applicationInsights: "[parameters('appInsightsId')]",
      publicNetworkAccess: 'Enabled', hbiWorkspace: false, v1LegacyMode: false,
    },
  };
  return `${JSON.stringify({
    $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#', contentVersion: '1.0.0.0',
    parameters: { workspaceName: { type: 'string' }, storageId: { type: 'string' }, keyVaultId: { type: 'string' }, appInsightsId: { type: 'string' } },
    resources: [ws],
  }, null, 2)}\n`;
}

export function denseTree(baseDir: string, targetBytes: number): TreeInfo & { manifest: DenseManifest } {
  const base = resolve(baseDir);
  const have = reuse(base, 'dense', targetBytes);
  if (have) return { ...have, manifest: JSON.parse(readFileSync(join(base, 'dense', 'manifest.json'), 'utf8')) as DenseManifest };
  rmSync(join(base, 'dense'), { recursive: true, force: true });
  const root = join(base, 'dense', 'tree');
  const m: DenseManifest = { version: TREE_VERSION, secrets: [], dangerousModels: [], benignModels: [], insecureTemplates: [], hardenedTemplates: [] };
  let bytes = 0;
  const put = (rel: string, data: string | Buffer) => {
    const p = join(root, rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, data);
    bytes += Buffer.byteLength(data);
  };
  // Per 200 files: ~0.45 MB of model files (~15%), 20 notebooks (~30%), the rest source/config with secrets.
  let i = 0;
  while (bytes < targetBytes) {
    const dir = `proj${String(Math.floor(i / 200)).padStart(3, '0')}`;
    const k = i % 200;
    const g = Math.floor(i / 200);
    if (k === 0) {
      const size = 100_000 + randomInt(200_000);
      const bad = g % 3 === 0;
      const rel = `${dir}/models/model_${i}.pkl`;
      put(rel, bad ? dangerousPickle(size) : benignPickle(size));
      (bad ? m.dangerousModels : m.benignModels).push(rel);
    } else if (k === 1) {
      const bad = g % 4 === 1;
      const pkl = bad ? dangerousPickle(100_000) : benignPickle(100_000);
      const rel = `${dir}/models/net_${i}.pt`;
      put(rel, zipStored([[`net_${i}/data.pkl`, pkl], [`net_${i}/version`, Buffer.from('3\n')]]));
      (bad ? m.dangerousModels : m.benignModels).push(rel);
    } else if (k === 2) {
      const rel = `${dir}/models/emb_${i}.npz`;
      put(rel, zipStored([['weights.npy', npy(8_000)], ['bias.npy', npy(100)]]));
      m.benignModels.push(rel);
      const st = `${dir}/models/head_${i}.safetensors`;
      put(st, safetensors(20_000));
      m.benignModels.push(st);
    } else if (k === 3) {
      const insecure = g % 2 === 0;
      const rel = `${dir}/infra/workspace_${i}.json`;
      put(rel, armWorkspace(insecure));
      (insecure ? m.insecureTemplates : m.hardenedTemplates).push(rel);
    } else if (i % 10 === 4) {
      const fam = FAMILIES.filter((f) => f.langs.includes('py'))[randomInt(FAMILIES.filter((f) => f.langs.includes('py')).length)];
      const { text, value } = notebook(fam);
      const rel = `${dir}/notebooks/explore_${i}.ipynb`;
      put(rel, text);
      m.secrets.push({ family: fam.family, file: rel, line: lineOf(text, value.split('\n')[0]), lines: value.split('\n').length, sha256: sha(value) });
    } else {
      const fam = FAMILIES[i % FAMILIES.length];
      const lang = fam.langs[randomInt(fam.langs.length)];
      const plants = [fam.make(lang)];
      const second = FAMILIES[randomInt(FAMILIES.length)];
      if (second.langs.includes(lang) && second !== fam) plants.push(second.make(lang));
      const { text } = plantFile(lang, 6_000 + randomInt(6_000), plants);
      const rel = `${dir}/src/${word()}_${i}${EXT[lang]}`;
      put(rel, text);
      plants.forEach((p, j) => m.secrets.push({ family: (j === 0 ? fam : second).family, file: rel, line: lineOf(text, p.value.split('\n')[0]), lines: p.value.split('\n').length, sha256: sha(p.value) }));
    }
    i++;
  }
  writeFileSync(join(base, 'dense', 'manifest.json'), JSON.stringify(m));
  return { ...finish(base, 'dense', { targetBytes }), manifest: m };
}
