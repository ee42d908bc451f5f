/**
 * Content-scan benchmark: our CLI (`bin/mlops-gates.js scan`) beside gitleaks and secretlint on the same trees in
 * the same run. Writes its figures as JSON (--out); scripts/bench.mjs renders them into docs/benchmarks.md.
 *
 * Usage: node build/bench/scanBench.js --out f.json --gitleaks <bin> --secretlint <bin> [--runs 3] [--mb 200]
 *        [--node <bin>] [--node24 <bin>] [--trees <dir>] [--profile ordinary|dense|none] [--gitleaks-subset full|half|tenth] [--secretlint-subset tenth|half|full]
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { availableParallelism } from 'node:os';
import { spawnSync } from 'node:child_process';
import { denseTree, ordinaryTree, type DenseManifest, type Planted, type TreeInfo } from './scanTrees';
import { run, type RunResult } from './scanRun';
import { filesHit, foundSecrets, perFamily, readSarifHits, secretKey, type FamilyCount, type SarifHit } from './scanRecall';
import { median } from './stats';
import { summariseProfiles, type ProfileSummary } from './scanProfile';

export type ToolName = 'ours' | 'gitleaks' | 'secretlint';
export type TreeName = 'ordinary' | 'dense';
export type SubsetName = 'full' | 'half' | 'tenth';

export interface Measurement {
  tool: ToolName;
  tree: TreeName;
  subset: SubsetName;
  bytes: number;
  files: number;
  runs: RunResult[];
  medianWallMs: number;
  mbPerSec: number;
  /** User + system CPU of the run with the median wall (NaN without GNU time). */
  cpuMs: number;
  maxRssKiB: number;
  results: number;
  /** Problems worth showing (exit code, warnings count), never file contents. */
  note?: string;
}

export interface Missed {
  family: string;
  file: string;
  line: number;
  foundBy: ToolName[];
}

export interface ScanBenchResult {
  cores: number;
  mbTarget: number;
  treeBuildMs: number;
  trees: Record<TreeName, Omit<TreeInfo, 'root'> & { root: string }>;
  versions: Record<ToolName, string>;
  subsets: { gitleaks: SubsetName; secretlint: SubsetName };
  /** What our CLI said about its worker threads (from its progress output), if anything. */
  oursWorkers?: string;
  measurements: Measurement[];
  /** Ours on an empty folder: the fixed cost of every run (Node start, loading the scanner, writing SARIF). */
  oursEmpty?: { medianWallMs: number; maxRssKiB: number; runs: number };
  /** CPU profile of one extra run of ours (not counted in the timings). */
  profile?: ProfileSummary;
  /** Ours on the whole trees again, run by Node 24: the tasks' first handler (task.json), next to the bench's Node. */
  oursNode24?: { version: string; trees: Partial<Record<TreeName, { medianWallMs: number; mbPerSec: number; cpuMs: number; maxRssKiB: number; runs: number }>> };
  /** bench/readFloor.ts on each whole tree: listing and reading alone, on as many threads as ours uses. */
  readFloor?: Partial<Record<TreeName, { workers: number; medianWallMs: number; mbPerSec: number; runs: number }>>;
  recall: {
    planted: number;
    /** Per subset measured: which planted secrets each tool found. */
    bySubset: Array<{ subset: SubsetName; planted: number; tools: Partial<Record<ToolName, { found: number; families: Record<string, FamilyCount> }>> }>;
    /** Found by gitleaks or secretlint (on the subset each ran), not by ours on the same subset. */
    missedByOurs: Missed[];
    /** Found by ours, by neither reference (on the subsets where a reference ran). */
    onlyOurs: number;
    models: { dangerous: number; dangerousFlagged: number; benign: number; benignFlagged: number };
    templates: { insecure: number; insecureFlagged: number; hardened: number; hardenedFlagged: number };
  };
}

function args(argv: string[]) {
  const o = { out: '', gitleaks: '', secretlint: '', node24: '', runs: 3, mb: 200, node: process.execPath, trees: '', profile: 'ordinary' as TreeName | 'none', gitleaksSubset: 'full' as SubsetName, secretlintSubset: 'tenth' as SubsetName };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = argv[++i];
    if (a === '--out') o.out = v;
    else if (a === '--gitleaks') o.gitleaks = v;
    else if (a === '--node24') o.node24 = v;
    else if (a === '--secretlint') o.secretlint = v;
    else if (a === '--runs') o.runs = Number(v);
    else if (a === '--mb') o.mb = Number(v);
    else if (a === '--node') o.node = v;
    else if (a === '--trees') o.trees = v;
    else if (a === '--profile') o.profile = v as TreeName | 'none';
    else if (a === '--gitleaks-subset') o.gitleaksSubset = v as SubsetName;
    else if (a === '--secretlint-subset') o.secretlintSubset = v as SubsetName;
    else throw new Error(`unknown argument ${a}`);
  }
  if (!o.out) throw new Error('--out is required');
  o.gitleaks = resolve(o.gitleaks);
  o.secretlint = resolve(o.secretlint);
  return o;
}

const repoRoot = resolve(__dirname, '..', '..');
const log = (s: string) => process.stderr.write(`  ${s}\n`);

function version(cmd: string, a: string[]): string {
  const r = spawnSync(cmd, a, { encoding: 'utf8' });
  return (r.stdout || r.stderr || '').trim().split('\n')[0] ?? 'unknown';
}

async function main(): Promise<void> {
  const o = args(process.argv.slice(2));
  const work = join(repoRoot, '.cache', 'bench', 'scan');
  mkdirSync(work, { recursive: true });
  const treesBase = o.trees ? resolve(o.trees) : join(repoRoot, '.cache', 'bench-trees');
  const target = o.mb * 1e6;

  const t0 = Date.now();
  log(`trees (~${o.mb} MB each, reused when present) ...`);
  const ordinary = ordinaryTree(treesBase, target, repoRoot);
  const dense = denseTree(treesBase, target);
  const treeBuildMs = Date.now() - t0;
  log(`trees ready in ${(treeBuildMs / 1000).toFixed(1)} s: ordinary ${(ordinary.bytes / 1e6).toFixed(0)} MB / ${ordinary.files} files, dense ${(dense.bytes / 1e6).toFixed(0)} MB / ${dense.files} files, ${dense.manifest.secrets.length} planted secrets`);
  const trees: Record<TreeName, TreeInfo> = { ordinary, dense };

  const slDir = resolve(o.secretlint, '..', '..', '..');
  const rc = join(work, 'secretlintrc.json');
  writeFileSync(rc, JSON.stringify({ rules: [{ id: '@secretlint/secretlint-rule-preset-recommend' }] }));

  const where = (tree: TreeName, subset: SubsetName) => (subset === 'full' ? trees[tree].root : trees[tree].subsets[subset].root);
  const size = (tree: TreeName, subset: SubsetName) => (subset === 'full' ? trees[tree] : trees[tree].subsets[subset]);

  const commands: Record<ToolName, (root: string, sarif: string) => { cmd: string; args: string[]; cwd: string; env?: NodeJS.ProcessEnv }> = {
    ours: (root, sarif) => ({ cmd: o.node, args: [join(repoRoot, 'bin', 'mlops-gates.js'), 'scan', root, '--sarif', sarif, '--fail-on', 'none'], cwd: repoRoot }),
    gitleaks: (root, sarif) => ({ cmd: o.gitleaks, args: ['dir', root, '--no-banner', '--redact', '--report-format', 'sarif', '--report-path', sarif, '--exit-code', '0'], cwd: work }),
    secretlint: (root, sarif) => ({
      cmd: o.secretlint,
      args: ['**/*', '--secretlintrc', rc, '--format', '@secretlint/secretlint-formatter-sarif', '--output', sarif],
      cwd: root,
      // The rule preset and formatter live beside secretlint, not in the scanned tree.
      env: { ...process.env, NODE_PATH: join(slDir, 'node_modules') },
    }),
  };

  const measurements: Measurement[] = [];
  const readFloor: NonNullable<ScanBenchResult['readFloor']> = {};
  // Ours scans on min(4, cores) threads by default (shared/scan/scanTree.ts); the floor reads on as many.
  const floorWorkers = Math.max(1, Math.min(4, availableParallelism()));
  async function floor(root: string, bytes: number): Promise<NonNullable<ScanBenchResult['readFloor']>[TreeName]> {
    const walls: number[] = [];
    for (let i = 0; i < 3; i++) {
      const out = join(work, `floor-${i}.out`);
      const r = await run(o.node, [join(repoRoot, 'build', 'bench', 'readFloor.js'), root, String(floorWorkers)], { cwd: repoRoot, stdoutFile: out, stderrFile: join(work, `floor-${i}.err`) });
      if (r.exitCode !== 0) throw new Error(`readFloor on ${root} exited ${r.exitCode}`);
      walls.push(r.wallMs);
    }
    const wall = median(walls);
    log(`read floor on ${root}: ${(wall / 1000).toFixed(2)} s on ${floorWorkers} threads`);
    return { workers: floorWorkers, medianWallMs: wall, mbPerSec: bytes / 1e6 / (wall / 1000), runs: walls.length };
  }
  const hits = new Map<string, SarifHit[]>();
  let oursWorkers: string | undefined;

  async function measure(tool: ToolName, tree: TreeName, subset: SubsetName, runs: number): Promise<Measurement> {
    const root = where(tree, subset);
    const rs: RunResult[] = [];
    let sarif = '';
    for (let i = 0; i < runs; i++) {
      sarif = join(work, `${tool}-${tree}-${subset}-${i}.sarif`);
      const c = commands[tool](root, sarif);
      const base = join(work, `${tool}-${tree}-${subset}-${i}`);
      const r = await run(c.cmd, c.args, { cwd: c.cwd, env: c.env, stdoutFile: `${base}.out`, stderrFile: `${base}.err`, timeoutMs: 20 * 60_000 });
      rs.push(r);
      if (tool === 'ours' && !oursWorkers) {
        const line = readFileSync(`${base}.err`, 'utf8').split('\n').find((l) => /worker/iu.test(l));
        if (line) oursWorkers = line.trim().slice(0, 200);
      }
      log(`${tool} on ${tree}/${subset}: ${(r.wallMs / 1000).toFixed(2)} s, ${(r.maxRssKiB / 1024).toFixed(0)} MiB, exit ${r.exitCode}`);
    }
    let h: SarifHit[] = [];
    let note: string | undefined;
    try {
      h = readSarifHits(sarif, root);
    } catch (e) {
      note = `no readable SARIF (${(e as Error).message.slice(0, 80)}); see ${sarif.replace(`${repoRoot}/`, '')}.err`;
    }
    if (rs.some((r) => r.exitCode !== 0)) note = `${note ? `${note}; ` : ''}exit codes ${rs.map((r) => r.exitCode).join(', ')}`;
    hits.set(`${tool}/${tree}/${subset}`, h);
    const { bytes, files } = size(tree, subset);
    const wall = median(rs.map((r) => r.wallMs));
    const m: Measurement = { tool, tree, subset, bytes, files, runs: rs, medianWallMs: wall, mbPerSec: bytes / 1e6 / (wall / 1000), cpuMs: medianRun(rs).cpuMs, maxRssKiB: Math.max(...rs.map((r) => r.maxRssKiB)), results: h.length, note };
    measurements.push(m);
    return m;
  }

  const empty = join(work, 'empty');
  mkdirSync(empty, { recursive: true });
  const emptyRuns: RunResult[] = [];
  for (let i = 0; i < 3; i++) {
    const c = commands.ours(empty, join(work, 'ours-empty.sarif'));
    emptyRuns.push(await run(c.cmd, c.args, { cwd: c.cwd, stdoutFile: join(work, 'ours-empty.out'), stderrFile: join(work, 'ours-empty.err') }));
  }
  const oursEmpty = { medianWallMs: median(emptyRuns.map((r) => r.wallMs)), maxRssKiB: Math.max(...emptyRuns.map((r) => r.maxRssKiB)), runs: emptyRuns.length };
  log(`ours on an empty folder: ${(oursEmpty.medianWallMs / 1000).toFixed(2)} s`);

  for (const tree of ['ordinary', 'dense'] as const) {
    // Ours: full tree several times, then the half (flat memory) and the reference subsets (same-bytes ratio).
    await measure('ours', tree, 'full', o.runs);
    await measure('ours', tree, 'half', 1);
    for (const s of new Set([o.gitleaksSubset, o.secretlintSubset])) if (s !== 'full' && s !== 'half') await measure('ours', tree, s, 1);
    await measure('gitleaks', tree, o.gitleaksSubset, 1);
    await measure('secretlint', tree, o.secretlintSubset, 1);
    readFloor[tree] = await floor(trees[tree].root, trees[tree].bytes);
  }

  let oursNode24: ScanBenchResult['oursNode24'];
  if (o.node24) {
    oursNode24 = { version: version(o.node24, ['--version']), trees: {} };
    for (const tree of ['ordinary', 'dense'] as const) {
      const rs: RunResult[] = [];
      for (let i = 0; i < o.runs; i++) {
        const c = commands.ours(trees[tree].root, join(work, `ours24-${tree}.sarif`));
        const base = join(work, `ours24-${tree}-${i}`);
        const r = await run(o.node24, c.args, { cwd: c.cwd, stdoutFile: `${base}.out`, stderrFile: `${base}.err`, timeoutMs: 20 * 60_000 });
        if (r.exitCode !== 0) throw new Error(`ours on Node 24 exited ${r.exitCode} on ${tree}; see ${base}.err`);
        log(`ours (Node 24) on ${tree}/full: ${(r.wallMs / 1000).toFixed(2)} s`);
        rs.push(r);
      }
      const wall = median(rs.map((r) => r.wallMs));
      oursNode24.trees[tree] = { medianWallMs: wall, mbPerSec: trees[tree].bytes / 1e6 / (wall / 1000), cpuMs: medianRun(rs).cpuMs, maxRssKiB: Math.max(...rs.map((r) => r.maxRssKiB)), runs: rs.length };
    }
  }

  let profile: ProfileSummary | undefined;
  if (o.profile !== 'none') {
    const dir = join(work, 'cpuprof');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const c = commands.ours(trees[o.profile].root, join(work, 'ours-profile.sarif'));
    const r = await run(c.cmd, ['--cpu-prof', '--cpu-prof-dir', dir, ...c.args], { cwd: c.cwd, stdoutFile: join(work, 'ours-profile.out'), stderrFile: join(work, 'ours-profile.err') });
    log(`ours with --cpu-prof on ${o.profile}/full: ${(r.wallMs / 1000).toFixed(2)} s`);
    profile = summariseProfiles(dir, `${o.profile} tree (whole, ${(trees[o.profile].bytes / 1e6).toFixed(0)} MB; ${(r.wallMs / 1000).toFixed(2)} s wall with profiling on)`, `${repoRoot}/`);
  }

  // Recall on the dense tree, per subset a reference ran on, against ours on the same subset.
  const m = dense.manifest;
  const inSubset = (subset: SubsetName): Planted[] => {
    if (subset === 'full') return m.secrets;
    const listed = new Set(readSubsetList(dense, subset));
    return m.secrets.filter((s) => listed.has(s.file));
  };
  const bySubset: ScanBenchResult['recall']['bySubset'] = [];
  const missed = new Map<string, Missed>();
  let onlyOurs = 0;
  for (const subset of [...new Set<SubsetName>([o.gitleaksSubset, o.secretlintSubset])]) {
    const planted = inSubset(subset);
    const tools: ScanBenchResult['recall']['bySubset'][number]['tools'] = {};
    const found: Partial<Record<ToolName, Set<string>>> = {};
    for (const tool of ['ours', 'gitleaks', 'secretlint'] as const) {
      const h = hits.get(`${tool}/dense/${subset}`);
      if (!h) continue;
      found[tool] = foundSecrets(planted, h);
      tools[tool] = { found: found[tool]!.size, families: perFamily(planted, found[tool]!) };
    }
    for (const s of planted) {
      const k = secretKey(s);
      const by = (['gitleaks', 'secretlint'] as const).filter((t) => found[t]?.has(k));
      if (by.length && !found.ours?.has(k)) {
        const prev = missed.get(k);
        missed.set(k, { family: s.family, file: s.file, line: s.line, foundBy: [...new Set([...(prev?.foundBy ?? []), ...by])] });
      }
      if (found.ours?.has(k) && !by.length) onlyOurs++;
    }
    bySubset.push({ subset, planted: planted.length, tools });
  }
  const oursFull = hits.get('ours/dense/full') ?? [];
  const result: ScanBenchResult = {
    cores: availableParallelism(),
    mbTarget: o.mb,
    treeBuildMs,
    trees: { ordinary: { ...ordinary, root: rel(ordinary.root) }, dense: { root: rel(dense.root), files: dense.files, bytes: dense.bytes, subsets: dense.subsets } },
    versions: {
      ours: version(o.node, [join(repoRoot, 'bin', 'mlops-gates.js'), '--version']),
      gitleaks: gitleaksVersion(o.gitleaks),
      secretlint: version(o.secretlint, ['--version']),
    },
    subsets: { gitleaks: o.gitleaksSubset, secretlint: o.secretlintSubset },
    oursWorkers,
    oursEmpty,
    oursNode24,
    readFloor,
    measurements,
    profile,
    recall: {
      planted: m.secrets.length,
      bySubset,
      missedByOurs: [...missed.values()],
      onlyOurs,
      models: { dangerous: m.dangerousModels.length, dangerousFlagged: filesHit(m.dangerousModels, oursFull, 'AML-MODEL-'), benign: m.benignModels.length, benignFlagged: filesHit(m.benignModels, oursFull, 'AML-MODEL-') },
      templates: { insecure: m.insecureTemplates.length, insecureFlagged: filesHit(m.insecureTemplates, oursFull, 'AML-'), hardened: m.hardenedTemplates.length, hardenedFlagged: filesHit(m.hardenedTemplates, oursFull, 'AML-') },
    },
  };
  writeFileSync(o.out, JSON.stringify(result, null, 1));
}

/** The run whose wall is the median (the upper middle one for an even count), so its CPU time goes with that wall. */
function medianRun(rs: RunResult[]): RunResult {
  return [...rs].sort((a, b) => a.wallMs - b.wallMs)[rs.length >> 1]!;
}

/** The Debian build prints no version; bench/tools/gitleaks.sh keeps the package's beside the binary. */
function gitleaksVersion(bin: string): string {
  const stamp = resolve(bin, '..', '..', '..', 'VERSION');
  return existsSync(stamp) ? `gitleaks ${readFileSync(stamp, 'utf8').trim()} (Debian)` : version(bin, ['version']);
}

const rel = (p: string) => p.replace(`${repoRoot}/`, '');

/** Files of a subset, relative, '/' separated (the subset is a hard-linked copy with the same layout). */
function readSubsetList(tree: TreeInfo, subset: 'half' | 'tenth'): string[] {
  const root = tree.subsets[subset].root;
  const out: string[] = [];
  const walk = (dir: string, prefix: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(dir, e.name), `${prefix}${e.name}/`);
      else out.push(`${prefix}${e.name}`);
    }
  };
  walk(root, '');
  return out;
}

main().catch((e) => {
  process.stderr.write(`scan bench failed: ${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
