/**
 * Renders docs/benchmarks.md from the figures of one `npm run bench`. Pure: everything it shows comes in
 * through its argument, so the document never claims a number that was not measured in that run.
 */
import type { ArmCount } from './armRequests';
import type { AuditBenchResult, NodeAuditResult } from './auditLarge';
import { median, type Summary } from './stats';
import type { StartupResult } from './startup';
import type { ScanBenchResult } from './scanBench';
import { scanSection, scanSummaryRows } from './scanReport';
import type { EndpointBenchResult } from './endpointAudit';
import { endpointSection, endpointSummaryRows } from './endpointReport';
import type { PromoteBenchResult } from './promote';
import { promoteSection, promoteSummaryRows } from './promoteReport';

export const GOALS = { auditWallMs: 2000, firstLineMs: 300, firstLineNode: 24 } as const;

export interface Machine {
  cpuModel: string;
  /** What `nproc` says (os.availableParallelism). */
  cores: number;
  memoryGiB: number;
  os: string;
  /** 1-minute load average before and after the benchmarks. */
  loadBefore: number;
  loadAfter: number;
}

export interface BundleFile {
  name: string;
  bytes: number;
  gzipBytes?: number;
}

export interface BenchReport {
  date: string;
  machine: Machine;
  audit: AuditBenchResult;
  startup: StartupResult[];
  /** SecurityGate's files from dist/bundle-meta.json; undefined when the file is missing. */
  bundle?: BundleFile[];
  /** dist/*.vsix, when present. */
  vsix?: BundleFile[];
  /** The bundled entry turns on V8's compile cache (module.enableCompileCache, Node ≥ 22.1). */
  compileCache?: boolean;
  /** The content-scan benchmark (bench/scanBench.ts); absent when it was not run. */
  scan?: ScanBenchResult;
  /** EndpointHardeningCheck and its probes (bench/endpointAudit.ts); absent when never run. */
  endpoints?: EndpointBenchResult;
  /** ModelRegistryPromote on a 2 GB model (bench/promote.ts); absent when never run. */
  promote?: PromoteBenchResult;
  commands: string[];
  durationSec: number;
}

const ms = (x: number) => `${Math.round(x).toLocaleString('en-US')} ms`;
const kib = (b: number) => `${(b / 1024).toFixed(0)} KiB`;
const verdict = (ok: boolean) => (ok ? '✅ met' : '❌ missed');
const spread = (s: Summary) => `${ms(s.medianMs)} (min ${ms(s.minMs)}, max ${ms(s.maxMs)}, n = ${s.runs})`;

/** Median of each phase over a node's runs (they need not add up to the median wall time). */
export function phaseMedians(g: NodeAuditResult): { startupMs: number; signInMs: number; armMs: number; tailMs: number; armRoundTrips: number } {
  const m = (f: (t: NodeAuditResult['runs'][number]['timeline']) => number) => median(g.runs.map((r) => f(r.timeline)));
  return { startupMs: m((t) => t.startupMs), signInMs: m((t) => t.signInMs), armMs: m((t) => t.armMs), tailMs: m((t) => t.tailMs), armRoundTrips: m((t) => t.armRoundTrips) };
}

/** The list with the most pages: the longest chain of dependent requests. */
export function longestList(arm: ArmCount): { kind: string; pages: number } | undefined {
  const [kind, k] = Object.entries(arm.lists).sort((a, b) => b[1].requests - a[1].requests)[0] ?? [];
  return kind ? { kind, pages: k!.requests } : undefined;
}

function auditSection(r: BenchReport): string[] {
  const a = r.audit;
  const goal = GOALS.auditWallMs;
  const out: string[] = [];
  out.push(`## Goal 1: audit of a workspace with ${a.size.toLocaleString('en-US')} child resources in ≤ ${goal / 1000} s`, '');
  out.push(
    `The bundled SecurityGate (\`dist/tasks/SecurityGate/index.js\`) runs as the agent runs it: a child \`node\` process with`,
    `INPUT_*/ENDPOINT_* variables and a workload identity federation connection, against the local Azure (\`test/azure/\`,`,
    `started as a child process) serving scenario \`large:${a.size}\` with ${a.latencyMs} ms added to every answer and ${a.pageSize} items per ARM page.`,
    `Wall time is spawn to process exit, so it includes Node start-up, sign-in (Azure DevOps OIDC token, Entra token), the`,
    `ARM reads, the rules and writing SARIF, evidence and summary. One warm-up run per Node is discarded; the Nodes take turns.`,
    `Smallest server-side time per service in the request log: ${Object.entries(a.latencyByService).map(([s, v]) => `${s} ${ms(v)}`).join(', ')}, so the latency applied to every request.`,
    ...(r.compileCache
      ? [
          'The bundle turns on V8\'s compile cache on Node ≥ 22.1 (kept in the OS temp folder), so runs on such a Node after the',
          'warm-up reuse compiled code, as a self-hosted agent\'s later runs would; a fresh hosted agent starts cold (the `sdk.js`',
          'load figure below is always cold).',
        ]
      : []),
    '',
    '| Goal | Node | Measured wall time, median | Result |',
    '|---|---|---|---|',
  );
  for (const g of a.gate) out.push(`| ≤ ${ms(goal)} | ${g.version} | ${spread(g.wall)} | ${verdict(g.wall.medianMs <= goal)} |`);
  out.push('');

  const first = a.gate[0].runs[0].arm;
  const allSame = a.gate.every((g) => g.runs.every((x) => x.arm.total === first.total && x.arm.listPages === first.listPages));
  out.push(
    '### ARM requests',
    '',
    `Goal: list pages + a constant, no request per child resource. Expected from the scenario's layout and the page size:`,
    `${a.expected.pages} pages + ${a.expected.constant} single GETs (the workspace, its 4 linked resources, ${a.expected.constant - 5} distinct role definitions) = ${a.expected.total}.`,
    `Measured (emulator request log, service \`arm\`): ${first.listPages} pages + ${first.singleGets} single GETs = ${first.total}` +
      `${first.other ? `, plus ${first.other} non-GET requests` : ''}; ${allSame ? 'the same in every run' : 'varying between runs (see the JSON)'}.`,
    `Result: ${verdict(first.listPages === a.expected.pages && first.singleGets === a.expected.constant && first.other === 0 && allSame)}.`,
    '',
    '| List | Items | Expected pages | Measured pages |',
    '|---|---|---|---|',
  );
  for (const [kind, items] of Object.entries(a.expected.listItems)) {
    out.push(`| ${kind} | ${items} | ${Math.max(1, Math.ceil(items / a.pageSize))} | ${first.lists[kind]?.requests ?? 0} |`);
  }
  out.push('', `Single GETs: ${Object.entries(first.gets).map(([k, v]) => `${k} ${v.requests}`).join(', ')}.`, '');
  if (a.scale.length) {
    out.push('Other sizes (one run each, first Node): the constant stays, pages grow with the lists.', '', '| Children | Expected | Measured | Wall |', '|---|---|---|---|');
    const base = { size: a.size, expected: a.expected, arm: first, wallMs: a.gate[0].wall.medianMs };
    for (const p of [...a.scale, base].sort((x, y) => x.size - y.size)) {
      out.push(`| ${p.size.toLocaleString('en-US')} | ${p.expected.pages} + ${p.expected.constant} | ${p.arm.listPages} + ${p.arm.singleGets} | ${ms(p.wallMs)}${p === base ? ' (median above)' : ''} |`);
    }
    out.push('');
  }

  out.push(
    '### Where the time goes',
    '',
    'Phases from the request log (its clock is this machine\'s), median per phase over the runs. The CPU time is the task',
    'process\'s user + system time, read from the bench process\'s /proc entry once the task has exited (the task runs unmodified).',
    '',
  );
  out.push('| Node | Spawn → first request | Sign-in requests | ARM reads | Last ARM answer → exit | CPU time of the task process |', '|---|---|---|---|---|---|');
  for (const g of a.gate) {
    const p = phaseMedians(g);
    out.push(`| ${g.version} | ${ms(p.startupMs)} | ${ms(p.signInMs)} | ${ms(p.armMs)} (≈ ${p.armRoundTrips} round trips) | ${ms(p.tailMs)} | ${g.cpu ? ms(g.cpu.medianMs) : 'not measured'} |`);
  }
  const lon = longestList(first);
  out.push(
    '',
    `Sign-in is ${a.gate[0].runs[0].timeline.signInRequests.length} requests one after the other: ${a.gate[0].runs[0].timeline.signInRequests.map((s) => `\`${s}\``).join(', ')}.`,
    `The ARM reads run side by side; the longest chain is the ${lon?.kind} list, ${lon?.pages} pages that must follow each other's nextLink.`,
    `At ${a.latencyMs} ms per request the network alone costs ${a.gate[0].runs[0].timeline.signInRequests.length + (lon?.pages ?? 0)} round trips ≈ ${ms((a.gate[0].runs[0].timeline.signInRequests.length + (lon?.pages ?? 0)) * a.latencyMs)}; the rest is CPU (start-up, SDK load, rules, reports).`,
  );
  for (const s of r.startup.filter((x) => x.sdkLoad)) {
    const l = s.sdkLoad!;
    out.push(
      `Loading \`sdk.js\` (the Azure SDKs and azure-devops-node-api, required before the first request), timed apart in the start-up bench on ${s.version}:` +
        ` median ${ms(l.total.medianMs)} (read and compile ${ms(l.require.medianMs)}; first use ${Object.entries(l.perModule).map(([k, v]) => `${k} ${ms(v)}`).join(', ')}; n = ${l.total.runs}).`,
    );
  }
  out.push('');

  if (a.naiveError) {
    out.push('### Reference: a naive collector', '', `❌ The reference run failed after one retry, so no ratio is given: ${a.naiveError}`, '');
  }
  if (a.naive && !a.naiveError) {
    const n = a.naive;
    const gm = a.gate[0].wall.medianMs;
    out.push(
      '### Reference: a naive collector',
      '',
      'A baseline written for this benchmark (`bench/naiveCollector.ts`), run in the same script against the same emulator with the same',
      'SDK client and retry settings: one request at a time, and after each list a GET per item, as a script calling',
      '`az ml compute show` (and the like) per item would. It signs in with the client secret (Entra only, no Azure DevOps).',
      'No external reference tool for auditing an Azure ML workspace runs offline on this machine: PSRule for Azure needs',
      'PowerShell and the Az modules and exports from a live subscription; this machine reaches no Azure.',
      '',
      '| Collector | Wall time | ARM requests | Other requests |',
      '|---|---|---|---|',
      `| SecurityGate (${a.gate[0].version}, whole process) | ${spread(a.gate[0].wall)} | ${first.total} | ${Object.entries(a.gate[0].runs[0].services).filter(([s]) => s !== 'arm').map(([s, c]) => `${s} ${c}`).join(', ')} |`,
      `| naive, in-process | ${spread(n.wall)} | ${n.arm.total.toLocaleString('en-US')} (${n.arm.listPages} pages + ${n.arm.singleGets.toLocaleString('en-US')} GETs) | ${Object.entries(n.services).filter(([s]) => s !== 'arm').map(([s, c]) => `${s} ${c}`).join(', ')} |`,
      '',
      `Ratio naive / SecurityGate: ${(n.wall.medianMs / gm).toFixed(1)}× the wall time, ${(n.arm.total / first.total).toFixed(1)}× the ARM requests.`,
      `Items the naive collector read: ${Object.entries(n.items).map(([k, v]) => `${k} ${v}`).join(', ')}.`,
      '',
    );
  }
  return out;
}

function startupSection(r: BenchReport): string[] {
  const out = [
    `## Goal 2: first line ≤ ${GOALS.firstLineMs} ms after process start on Node ${GOALS.firstLineNode}`,
    '',
    'The bundled task is spawned with no inputs (it prints its first line, then fails on the missing input); the time is',
    'spawn to the first byte on stdout. Reference: `node -e "console.log(1)"` on the same binary, alternating with the task',
    'run by run, after one warm-up of each.',
    '',
    '| Node | Task, median | Bare node, median | Difference | Goal | Result |',
    '|---|---|---|---|---|---|',
  ];
  for (const s of r.startup) {
    const isGoalNode = new RegExp(`^v${GOALS.firstLineNode}\\.`).test(s.version);
    out.push(`| ${s.version} | ${spread(s.task)} | ${spread(s.bareNode)} | ${ms(s.overheadMs)} | ${isGoalNode ? `≤ ${GOALS.firstLineMs} ms` : 'none (for comparison)'} | ${isGoalNode ? verdict(s.task.medianMs <= GOALS.firstLineMs) : '—'} |`);
  }
  if (!r.startup.some((s) => new RegExp(`^v${GOALS.firstLineNode}\\.`).test(s.version))) out.push('', `Node ${GOALS.firstLineNode} was not measured in this run: the goal is not assessed.`);
  const line = r.startup[0]?.firstLine;
  if (line) out.push('', `First line: \`${line}\``);
  out.push('');
  return out;
}

function sizeSection(r: BenchReport): string[] {
  const out = ['## Sizes', ''];
  if (r.bundle) {
    out.push('SecurityGate bundle (`dist/bundle-meta.json`, written by `scripts/bundle.mjs`):', '', '| File | Bytes | gzip -9 |', '|---|---|---|');
    for (const f of r.bundle) out.push(`| ${f.name} | ${f.bytes.toLocaleString('en-US')} (${kib(f.bytes)}) | ${f.gzipBytes !== undefined ? `${f.gzipBytes.toLocaleString('en-US')} (${kib(f.gzipBytes)})` : '—'} |`);
    const total = r.bundle.reduce((s, f) => s + f.bytes, 0);
    out.push(`| total | ${total.toLocaleString('en-US')} (${kib(total)}) | |`, '');
  } else out.push('`dist/bundle-meta.json` not found: bundle sizes not reported.', '');
  if (r.vsix?.length) {
    out.push('Extension package(s) found in `dist/` (built by `npm run package`, not by this script; may be older than the bundle):', '');
    for (const f of r.vsix) out.push(`- \`${f.name}\`: ${f.bytes.toLocaleString('en-US')} bytes (${kib(f.bytes)})`);
    out.push('');
  } else out.push('No `dist/*.vsix` present: package size not reported (`npm run package` makes one).', '');
  return out;
}

export function renderBenchmarks(r: BenchReport): string {
  const m = r.machine;
  const versions = [...new Set([...r.audit.gate.map((g) => g.version), ...r.startup.map((s) => s.version), ...(r.endpoints?.gate.map((g) => g.version) ?? [])])];
  return [
    '# Benchmarks',
    '',
    `Written by \`npm run bench\` (\`scripts/bench.mjs\`) on ${r.date}; do not edit by hand, run it again. The run took ${Math.round(r.durationSec)} s.`,
    'Medians over several runs; the machine is shared, so single runs vary by a few hundred milliseconds.',
    '',
    '## Summary',
    '',
    '| Goal | Measured (median) | Result |',
    '|---|---|---|',
    ...r.audit.gate.map((g) => `| Audit of ${r.audit.size.toLocaleString('en-US')} children at ${r.audit.latencyMs} ms/request ≤ ${GOALS.auditWallMs / 1000} s (${g.version}) | ${ms(g.wall.medianMs)} | ${verdict(g.wall.medianMs <= GOALS.auditWallMs)} |`),
    `| ARM requests = pages + constant | ${r.audit.gate[0].runs[0].arm.listPages} + ${r.audit.gate[0].runs[0].arm.singleGets} (expected ${r.audit.expected.pages} + ${r.audit.expected.constant}) | ${verdict(r.audit.gate.every((g) => g.runs.every((x) => x.arm.listPages === r.audit.expected.pages && x.arm.singleGets === r.audit.expected.constant && x.arm.other === 0)))} |`,
    ...r.startup.filter((s) => s.version.startsWith(`v${GOALS.firstLineNode}.`)).map((s) => `| First line ≤ ${GOALS.firstLineMs} ms (${s.version}) | ${ms(s.task.medianMs)} | ${verdict(s.task.medianMs <= GOALS.firstLineMs)} |`),
    ...(r.endpoints ? endpointSummaryRows(r.endpoints) : []),
    ...(r.scan ? scanSummaryRows(r.scan) : []),
    ...(r.promote ? promoteSummaryRows(r.promote) : []),
    '',
    '## Machine',
    '',
    '| | |',
    '|---|---|',
    `| CPU | ${m.cpuModel} |`,
    `| Cores (nproc) | ${m.cores} |`,
    `| Memory | ${m.memoryGiB.toFixed(1)} GiB |`,
    `| OS | ${m.os} |`,
    `| Node | ${versions.join(', ')} |`,
    `| Load average (1 min) | ${m.loadBefore.toFixed(2)} before, ${m.loadAfter.toFixed(2)} after |`,
    '',
    ...(Math.max(m.loadBefore, m.loadAfter) > m.cores
      ? [`The machine was busy with other work (load average above its ${m.cores} cores): the wall times below are inflated by waiting for a CPU.`, '']
      : []),
    ...auditSection(r),
    ...startupSection(r),
    ...(r.endpoints ? endpointSection(r.endpoints) : []),
    ...(r.scan ? scanSection(r.scan) : []),
    ...(r.promote ? promoteSection(r.promote) : []),
    ...sizeSection(r),
    '## Reproduce',
    '',
    '```sh',
    ...r.commands,
    '```',
    '',
  ].join('\n');
}
