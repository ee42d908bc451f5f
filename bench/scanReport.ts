/**
 * The "Content scan" section of docs/benchmarks.md, rendered from one scan bench run (bench/scanBench.ts). Pure:
 * every figure comes in through the argument.
 */
import type { Measurement, ScanBenchResult, SubsetName, ToolName, TreeName } from './scanBench';

export const SCAN_GOALS = { vsGitleaks: 50, vsSecretlint: 10, flatMemoryRatio: 1.25 } as const;

const mb = (b: number) => `${(b / 1e6).toFixed(1)} MB`;
const mib = (kib: number) => (Number.isFinite(kib) ? `${(kib / 1024).toFixed(0)} MiB` : 'n/a');
const rate = (x: number) => `${x.toFixed(x < 10 ? 2 : 1)} MB/s`;
const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const verdict = (ok: boolean) => (ok ? '✅ met' : '❌ missed');
const count = (n: number) => n.toLocaleString('en-US');
const known = (x: number | undefined): x is number => typeof x === 'number' && Number.isFinite(x);
const cpu = (ms: number | undefined) => (known(ms) ? `${(ms / 1000).toFixed(2)} s` : 'n/a');
/** MB scanned per second of CPU (all threads): the work each tool does per byte, whatever the cores. */
const perCpu = (bytes: number, ms: number | undefined) => (known(ms) && ms > 0 ? bytes / 1e6 / (ms / 1000) : NaN);

export function find(s: ScanBenchResult, tool: ToolName, tree: TreeName, subset: SubsetName): Measurement | undefined {
  return s.measurements.find((m) => m.tool === tool && m.tree === tree && m.subset === subset);
}

export interface Ratio {
  tree: TreeName;
  reference: 'gitleaks' | 'secretlint';
  subset: SubsetName;
  ours: number;
  ref: number;
  ratio: number;
  /** Ours on the whole tree against the reference on its subset (start-up amortised over 10× the bytes). */
  oursFull: number;
  ratioFull: number;
  goal: number;
}

export function ratios(s: ScanBenchResult): Ratio[] {
  const out: Ratio[] = [];
  for (const tree of ['ordinary', 'dense'] as const) {
    for (const reference of ['gitleaks', 'secretlint'] as const) {
      const subset = s.subsets[reference];
      const ref = find(s, reference, tree, subset);
      const ours = find(s, 'ours', tree, subset);
      const full = find(s, 'ours', tree, 'full');
      if (!ref || !ours || !full) continue;
      out.push({
        tree, reference, subset, ours: ours.mbPerSec, ref: ref.mbPerSec, ratio: ours.mbPerSec / ref.mbPerSec,
        oursFull: full.mbPerSec, ratioFull: full.mbPerSec / ref.mbPerSec,
        goal: reference === 'gitleaks' ? SCAN_GOALS.vsGitleaks : SCAN_GOALS.vsSecretlint,
      });
    }
  }
  return out;
}

export function memoryGrowth(s: ScanBenchResult, tree: TreeName): number | undefined {
  const full = find(s, 'ours', tree, 'full');
  const half = find(s, 'ours', tree, 'half');
  return full && half ? full.maxRssKiB / half.maxRssKiB : undefined;
}

/** Rows for the summary table at the top of the document. */
export function scanSummaryRows(s: ScanBenchResult): string[] {
  const rows = ratios(s).map((r) => `| Content scan ≥ ${r.goal}× ${r.reference} (${r.tree} tree, same ${r.subset} subset) | ${r.ratio.toFixed(1)}× (${rate(r.ours)} vs ${rate(r.ref)}) | ${verdict(r.ratio >= r.goal)} |`);
  rows.push(`| Content scan finds every planted secret gitleaks or secretlint finds | ${s.recall.missedByOurs.length} missed | ${verdict(s.recall.missedByOurs.length === 0)} |`);
  for (const tree of ['ordinary', 'dense'] as const) {
    const g = memoryGrowth(s, tree);
    if (g !== undefined) rows.push(`| Content scan peak memory flat in tree size (${tree}: full / half ≤ ${SCAN_GOALS.flatMemoryRatio}) | ${g.toFixed(2)} | ${verdict(g <= SCAN_GOALS.flatMemoryRatio)} |`);
  }
  return rows;
}

export function scanSection(s: ScanBenchResult): string[] {
  const t = s.trees;
  const out: string[] = [];
  out.push(
    `## Goal 3: content scan ≥ ${SCAN_GOALS.vsGitleaks}× gitleaks' and ≥ ${SCAN_GOALS.vsSecretlint}× secretlint's throughput, finding every secret either finds, flat memory`,
    '',
    'Trees (generated under `.cache/bench-trees/` by `bench/scanTrees.ts`, reused while their stamp matches, never committed):',
    '',
    `- **ordinary**: ${mb(t.ordinary.bytes)} in ${count(t.ordinary.files)} files: the .py/.js/.json/.md/.yml/.ts files of this repository's node_modules, then of the`,
    '  machine\'s Python installation (folders named `node_modules` renamed, since every tool skips them by default).',
    `- **dense**: ${mb(t.dense.bytes)} in ${count(t.dense.files)} files, generated: source and config files (.py .js .yml .env .sh .pem) with ${count(s.recall.planted)} secrets of`,
    `  ${Object.keys(s.recall.bySubset[0]?.tools.ours?.families ?? {}).length} families planted at recorded lines (key-shaped values built at run time with each format's checksum), notebooks whose`,
    '  secret is only in a cell output next to a PNG payload, pickles and PyTorch zips (benign, or with `os.system` written opcode by',
    '  opcode), npz and safetensors files, and Azure ML workspace ARM templates (open to the internet / hardened).',
    `- **half** and **tenth**: every 2nd / 10th file of each tree, hard-linked (${mb(t.ordinary.subsets.half.bytes)} / ${mb(t.ordinary.subsets.tenth.bytes)} ordinary,`,
    `  ${mb(t.dense.subsets.half.bytes)} / ${mb(t.dense.subsets.tenth.bytes)} dense).`,
    '',
    `Tools: ours \`bin/mlops-gates.js scan <tree> --sarif f --fail-on none\` (v${s.versions.ours}; the CLI as users run it, default options${s.oursWorkers ? `; it said: "${s.oursWorkers}"` : ''});`,
    `gitleaks (Debian sid package, \`${s.versions.gitleaks}\`) \`gitleaks dir <tree> --no-banner --redact --report-format sarif --report-path f --exit-code 0\`;`,
    `secretlint ${s.versions.secretlint} with the recommended preset, \`secretlint "**/*" --format @secretlint/secretlint-formatter-sarif\`, cwd = tree.`,
    `Each is a child process; time = wall from spawn to exit; CPU = user + system time and peak memory = maximum RSS, both from GNU time (threads included). ${s.cores} cores.`,
    `gitleaks read the **${s.subsets.gitleaks}** trees, secretlint (the slowest) the **${s.subsets.secretlint}** subsets; ours read the same inputs, so each ratio compares the`,
    'same bytes in the same run. Ours also ran on the whole trees (median of its runs) and on the half trees (memory).',
    ...(s.oursEmpty
      ? [`Ours on an empty folder takes ${secs(s.oursEmpty.medianWallMs)} (${mib(s.oursEmpty.maxRssKiB)}; Node start, loading the scanner, SARIF): a fixed cost that weighs on the small subsets.`]
      : []),
    '',
    '| Tree | Tool | Input | Wall (median, n) | Throughput | CPU | MB per CPU-second | Peak RSS | SARIF results |',
    '|---|---|---|---|---|---|---|---|---|',
  );
  for (const m of s.measurements) {
    const walls = m.runs.map((r) => r.wallMs);
    out.push(`| ${m.tree} | ${m.tool} | ${m.subset}: ${mb(m.bytes)}, ${count(m.files)} files | ${secs(m.medianWallMs)}${m.runs.length > 1 ? ` (${secs(Math.min(...walls))}–${secs(Math.max(...walls))}, n = ${m.runs.length})` : ''} | ${rate(m.mbPerSec)} | ${cpu(m.cpuMs)} | ${known(perCpu(m.bytes, m.cpuMs)) ? perCpu(m.bytes, m.cpuMs).toFixed(1) : 'n/a'} | ${mib(m.maxRssKiB)} | ${count(m.results)}${m.note ? ` (${m.note})` : ''} |`);
  }
  out.push('', '### Throughput ratios', '', '| Tree | Reference | Same subset: ours / reference | Ratio | Goal | Result | Ours on the whole tree / reference on its subset |', '|---|---|---|---|---|---|---|');
  for (const r of ratios(s)) {
    out.push(`| ${r.tree} | ${r.reference} | ${rate(r.ours)} / ${rate(r.ref)} (${r.subset}) | ${r.ratio.toFixed(1)}× | ≥ ${r.goal}× | ${verdict(r.ratio >= r.goal)} | ${rate(r.oursFull)} / ${rate(r.ref)} = ${r.ratioFull.toFixed(1)}× |`);
  }
  const cpuRows = (['ordinary', 'dense'] as const).flatMap((tree) => {
    const g = find(s, 'gitleaks', tree, s.subsets.gitleaks);
    const ours = find(s, 'ours', tree, s.subsets.gitleaks);
    if (!g || !ours) return [];
    const o = perCpu(ours.bytes, ours.cpuMs);
    const r = perCpu(g.bytes, g.cpuMs);
    if (!known(o) || !known(r)) return [];
    return [`| ${tree} | ${o.toFixed(1)} MB (${cpu(ours.cpuMs)} for ${mb(ours.bytes)}) | ${r.toFixed(2)} MB (${cpu(g.cpuMs)}) | ${(o / r).toFixed(1)}× | ${(ours.cpuMs / ours.medianWallMs).toFixed(2)} / ${(g.cpuMs / g.medianWallMs).toFixed(2)} |`];
  });
  if (cpuRows.length) {
    out.push('', '### Work per CPU-second', '',
      'The same runs per second of CPU time (user + system, every thread): how much work each tool spends per byte, apart from how many',
      'cores it keeps busy. The goal is stated in wall-clock throughput; this shows where the ratio comes from.', '',
      '| Tree | Ours: MB per CPU-second | gitleaks: MB per CPU-second | Ratio | Cores kept busy (CPU / wall): ours / gitleaks |', '|---|---|---|---|---|', ...cpuRows);
  }
  const n24 = s.oursNode24;
  if (n24) {
    out.push('', '### Ours on Node 24', '',
      `The tasks declare Node 24 as their first handler; the rows above ran on the machine's Node (see Machine). Ours again on each whole tree with \`${n24.version}\` (median of its runs), against gitleaks in the same run:`, '',
      '| Tree | Wall (median, n) | Throughput | CPU | Peak RSS | vs gitleaks |', '|---|---|---|---|---|---|');
    for (const tree of ['ordinary', 'dense'] as const) {
      const t = n24.trees[tree];
      const g = find(s, 'gitleaks', tree, 'full');
      if (t) out.push(`| ${tree} | ${secs(t.medianWallMs)} (n = ${t.runs}) | ${rate(t.mbPerSec)} | ${cpu(t.cpuMs)} | ${mib(t.maxRssKiB)} | ${g ? `${(t.mbPerSec / g.mbPerSec).toFixed(1)}×` : 'n/a (gitleaks ran on a subset)'} |`);
    }
  }
  if (s.readFloor) {
    out.push('', '### The floor: listing and reading alone', '',
      '`bench/readFloor.ts` lists each whole tree and reads every file on as many threads as ours uses, matching nothing (wall from spawn',
      'to exit, median of 3). No scanner in Node reads faster here, so against gitleaks in the same run it bounds the reachable ratio:', '',
      '| Tree | Threads | Reading alone | Throughput | Ours on the whole tree | Highest ratio any Node scanner could reach vs gitleaks | Goal needs |', '|---|---|---|---|---|---|---|');
    for (const tree of ['ordinary', 'dense'] as const) {
      const f = s.readFloor[tree];
      const g = find(s, 'gitleaks', tree, s.subsets.gitleaks);
      const full = find(s, 'ours', tree, 'full');
      if (!f || !g || !full) continue;
      out.push(`| ${tree} | ${f.workers} | ${secs(f.medianWallMs)} | ${rate(f.mbPerSec)} | ${rate(full.mbPerSec)} (${((full.mbPerSec / f.mbPerSec) * 100).toFixed(0)}% of the floor's) | ${(f.mbPerSec / g.mbPerSec).toFixed(1)}× | ${rate(g.mbPerSec * SCAN_GOALS.vsGitleaks)} |`);
    }
  }
  out.push('', '### Memory', '', `Ours, peak RSS on the whole tree against the half tree (flat: ratio ≤ ${SCAN_GOALS.flatMemoryRatio}):`, '');
  for (const tree of ['ordinary', 'dense'] as const) {
    const f = find(s, 'ours', tree, 'full');
    const h = find(s, 'ours', tree, 'half');
    const g = memoryGrowth(s, tree);
    if (f && h && g !== undefined) out.push(`- ${tree}: ${mib(f.maxRssKiB)} for ${mb(f.bytes)}, ${mib(h.maxRssKiB)} for ${mb(h.bytes)}: ratio ${g.toFixed(2)}, ${verdict(g <= SCAN_GOALS.flatMemoryRatio)}.`);
  }
  out.push('', '### Recall on the dense tree', '', 'A tool finds a planted secret when its SARIF has a result in the same file on a line the value spans.', '');
  for (const b of s.recall.bySubset) {
    const tools = (['ours', 'gitleaks', 'secretlint'] as const).filter((x) => b.tools[x]);
    out.push(`Subset **${b.subset}** (${count(b.planted)} planted secrets):`, '', `| Family | Planted | ${tools.join(' | ')} |`, `|---|---|${tools.map(() => '---').join('|')}|`);
    const fams = Object.keys(b.tools.ours?.families ?? b.tools[tools[0]]?.families ?? {}).sort();
    for (const f of fams) {
      const planted = b.tools[tools[0]]!.families[f]?.planted ?? 0;
      out.push(`| ${f} | ${planted} | ${tools.map((x) => b.tools[x]!.families[f]?.found ?? 0).join(' | ')} |`);
    }
    out.push(`| **all** | ${b.planted} | ${tools.map((x) => `**${b.tools[x]!.found}**`).join(' | ')} |`, '');
  }
  const missed = s.recall.missedByOurs;
  out.push(
    `Found by gitleaks or secretlint but not by ours: **${missed.length}** (${verdict(missed.length === 0)}).` +
      (missed.length ? ` By family: ${Object.entries(missed.reduce<Record<string, number>>((a, x) => ((a[x.family] = (a[x.family] ?? 0) + 1), a), {})).map(([f, n]) => `${f} ${n}`).join(', ')}.` : ''),
    `Found by ours and by neither reference on those subsets: ${count(s.recall.onlyOurs)}.`,
    '',
  );
  const mo = s.recall.models;
  const te = s.recall.templates;
  out.push(
    `Model files (ours only; the references do not read them): ${mo.dangerousFlagged} of ${mo.dangerous} dangerous pickles/PyTorch zips flagged, ${mo.benignFlagged} of ${mo.benign} benign model files flagged.`,
    `ARM templates: ${te.insecureFlagged} of ${te.insecure} internet-facing workspace templates flagged; ${te.hardenedFlagged} of ${te.hardened} hardened ones have some finding (the hardened one is test/fixtures/templates/workspace-hardened.json, on which every rule passes: each finding there is a false positive).`,
    '',
  );
  if (s.profile) {
    out.push('### Where our time goes', '', `CPU profile of ours on the ${s.profile.input} (\`node --cpu-prof\`, every thread's profile summed): ${secs(s.profile.totalMs)} of samples.`, '', '| Self time | Share | Function | Where |', '|---|---|---|---|');
    for (const f of s.profile.top) out.push(`| ${secs(f.selfMs)} | ${((f.selfMs / s.profile.totalMs) * 100).toFixed(1)}% | \`${f.name}\` | ${f.where} |`);
    out.push('', 'By file:', '', '| Self time | Share | File |', '|---|---|---|');
    for (const f of s.profile.byFile) out.push(`| ${secs(f.selfMs)} | ${((f.selfMs / s.profile.totalMs) * 100).toFixed(1)}% | ${f.file} |`);
    out.push('');
  }
  return out;
}
