/**
 * The EndpointHardeningCheck sections of docs/benchmarks.md (issue 4's goals), rendered from one endpoint bench run
 * (bench/endpointAudit.ts). Pure: every figure comes in through the argument.
 */
import { ENDPOINT_REQUEST_KINDS, type EndpointBenchResult, type EndpointRunFigures, type NodeEndpointResult, type Span } from './endpointAudit';
import { median, type Summary } from './stats';

const ms = (x: number) => `${Math.round(x).toLocaleString('en-US')} ms`;
const verdict = (ok: boolean) => (ok ? '✅ met' : '❌ missed');
const spread = (s: Summary) => `${ms(s.medianMs)} (min ${ms(s.minMs)}, max ${ms(s.maxMs)}, n = ${s.runs})`;

/** Every run of every Node asked for exactly the formula's requests, kind by kind, and nothing else. */
export function requestsMatch(r: EndpointBenchResult): boolean {
  return r.gate.every((g) =>
    g.runs.every((run) =>
      run.requests.nonGet === 0 &&
      run.requests.unexpected.length === 0 &&
      ENDPOINT_REQUEST_KINDS.every((k) => (run.requests.byKind[k] ?? 0) === r.expected.byKind[k])));
}

export function endpointSummaryRows(r: EndpointBenchResult): string[] {
  const rows = r.gate.map((g) =>
    `| EndpointHardeningCheck of ${r.endpoints} online endpoints × 3 deployments at ${r.latencyMs} ms/request ≤ ${r.goalMs / 1000} s (${g.version}) | ${ms(g.wall.medianMs)} | ${verdict(g.wall.medianMs <= r.goalMs)} |`);
  const first = r.gate[0]?.runs[0];
  if (first) rows.push(`| Endpoint check requests = formula | ${first.requests.armTotal} ARM (expected ${r.expected.total}) | ${verdict(requestsMatch(r))} |`);
  for (const p of r.probes ?? []) {
    const goal = p.runs[0]?.goalMs ?? 0;
    rows.push(`| Probes of ${p.runs[0]?.n ?? '?'} endpoints, half silent, ≤ ${ms(goal)} (${p.version}) | ${ms(p.wall.medianMs)} | ${verdict(p.wall.medianMs <= goal)} |`);
  }
  return rows;
}

/** Median over a Node's runs of one span's start and end (ms since spawn); undefined when no run had the span. */
export function spanMedian(g: NodeEndpointResult, pick: (run: EndpointRunFigures) => Span | undefined): { fromMs: number; toMs: number; requests: number; peakInFlight: number } | undefined {
  const spans = g.runs.map(pick).filter((s): s is Span => s !== undefined);
  if (!spans.length) return undefined;
  return { fromMs: median(spans.map((s) => s.fromMs)), toMs: median(spans.map((s) => s.toMs)), requests: median(spans.map((s) => s.requests)), peakInFlight: median(spans.map((s) => s.peakInFlight)) };
}

function phaseRow(label: string, s: ReturnType<typeof spanMedian>, note = ''): string {
  return s
    ? `| ${label} | ${ms(s.fromMs)} → ${ms(s.toMs)} | ${ms(s.toMs - s.fromMs)} | ${s.requests} | ${s.peakInFlight} |${note ? ` ${note}` : ''}`
    : `| ${label} | — | — | 0 | — |`;
}

/** Why the wall time is what it is, from the medians: CPU against wall, and the longest phase. */
function whereTimeGoes(r: EndpointBenchResult, g: NodeEndpointResult): string[] {
  const wall = g.wall.medianMs;
  const cpu = g.cpu?.medianMs;
  const emu = g.runs.map((x) => x.emulatorCpuMs).filter((x): x is number => x !== undefined);
  const emuMed = emu.length ? median(emu) : undefined;
  const inv = spanMedian(g, (x) => x.timeline.inventory);
  const side = [spanMedian(g, (x) => x.timeline.monitoring), spanMedian(g, (x) => x.timeline.probes)].filter((s) => s !== undefined);
  const lastAnswer = Math.max(inv?.toMs ?? 0, ...side.map((s) => s!.toMs));
  const tail = median(g.runs.map((x) => x.timeline.tailMs));
  const out: string[] = [];
  out.push(
    `- ${g.version}: wall ${ms(wall)}; the task process used ${cpu !== undefined ? ms(cpu) : 'an unmeasured amount of'} CPU` +
      `${cpu !== undefined ? ` (${Math.round((cpu / wall) * 100)}% of one core over its wall time)` : ''}` +
      `${emuMed !== undefined ? `, the emulator ${ms(emuMed)} on the same ${r.cores} cores` : ''}. ` +
      `Requests ended ${ms(lastAnswer)} after the spawn; the last ${ms(tail)} are the report tail (policy, SARIF, ${r.facts.online + r.facts.batch + 1} evidence records, summary).`,
  );
  const prof = r.profiles?.find((p) => p.version === g.version);
  const idle = prof?.cpu.areas.find((a) => a.area.startsWith('idle'))?.ms;
  const idleNote = prof && idle !== undefined && prof.cpu.sampledMs > 0
    ? ` (under the profiler its main thread waited ${Math.round((idle / prof.cpu.sampledMs) * 100)}% of the run, see the areas below; the CPU time also counts V8's background threads)`
    : '';
  if (wall > r.goalMs && cpu !== undefined && cpu > 0.8 * wall) {
    out.push(`  The process computes for most of its wall time rather than waiting${idleNote}: the run is CPU-bound, so more concurrency cannot shorten it; less work per request, probe and record can.`);
  } else if (wall > r.goalMs && inv) {
    out.push(`  The process waits more than it computes: the inventory alone spans ${ms(inv.toMs - inv.fromMs)} (≈ ${Math.round((inv.toMs - inv.fromMs) / r.latencyMs)} round trips of ${r.latencyMs} ms).`);
  }
  return out;
}

export function endpointSection(r: EndpointBenchResult): string[] {
  const out: string[] = [];
  const f = r.facts;
  out.push(
    `## Endpoint check (issue 4): ${r.endpoints} online endpoints × 3 deployments in ≤ ${r.goalMs / 1000} s`,
    '',
    `The bundled EndpointHardeningCheck (\`dist/tasks/EndpointHardeningCheck/index.js\`) runs as the agent runs it (child \`node\` process,`,
    `workload identity federation) with the task's defaults: live probes on (${r.task.probeTimeoutSeconds} s timeout) and ${r.task.monitoringDays} days of`,
    `monitoring. The local Azure (a child process) serves \`endpoints:${r.endpoints}\`: ${f.online} online endpoints with ${f.deploymentsPerEndpoint.slice(0, f.online).reduce((a, b) => a + b, 0)} deployments, ${f.batch} batch`,
    `endpoints with ${f.deploymentsPerEndpoint.slice(f.online).reduce((a, b) => a + b, 0)}, ${f.computes} computes, ${f.rawRoleAssignments} role assignments; ${r.latencyMs} ms added to every answer`,
    `(ARM, Entra, Azure DevOps and the scoring hosts the probes call), ${r.pageSize} items per page. Wall time is spawn to exit;`,
    'one warm-up run per Node is discarded and the Nodes take turns.',
    `Smallest server-side time per service: ${Object.entries(r.latencyByService).map(([s, v]) => `${s} ${ms(v)}`).join(', ')}.`,
    `Load average (1 min) while this part ran: ${r.load.before.toFixed(2)} at its start, ${r.load.after.toFixed(2)} at its end, on ${r.cores} cores` +
      `${Math.max(r.load.before, r.load.after) > r.cores ? ' — busier than its cores, so these wall times include waiting for a CPU' : ''}.`,
    '',
    '| Goal | Node | Wall time, median | CPU of the task process, median | Result |',
    '|---|---|---|---|---|',
  );
  for (const g of r.gate) out.push(`| ≤ ${ms(r.goalMs)} | ${g.version} | ${spread(g.wall)} | ${g.cpu ? ms(g.cpu.medianMs) : 'not measured'} | ${verdict(g.wall.medianMs <= r.goalMs)} |`);
  out.push('');

  const first = r.gate[0]?.runs[0];
  if (first) {
    const same = r.gate.every((g) => g.runs.every((x) => x.requests.armTotal === first.requests.armTotal));
    out.push(
      '### Requests',
      '',
      'Expected from the collector\'s documented formula (`shared/azure/endpointInventory.ts`, P(n) = pages of a list of n items) and the',
      'monitoring reads (`shared/azure/monitoring.ts`: one metrics read per online endpoint, the activity log of the resource group),',
      'applied to what the scenario holds; measured in the emulator\'s request log (first run; ' +
        `${same ? 'every run asked the same number' : 'runs differed, see the JSON'}).`,
      '',
      '| Requests for | Formula | Expected | Measured |',
      '|---|---|---|---|',
    );
    for (const k of ENDPOINT_REQUEST_KINDS) out.push(`| ${k} | ${r.expected.formula[k]} | ${r.expected.byKind[k]} | ${first.requests.byKind[k] ?? 0} |`);
    out.push(
      `| **ARM in all** | inventory ${r.expected.inventory} + monitoring ${r.expected.monitoring} | **${r.expected.total}** | **${first.requests.armTotal}** |`,
      '',
      `Result: ${verdict(requestsMatch(r))}` +
        `${first.requests.unexpected.length ? `; requests outside the formula: ${first.requests.unexpected.map((u) => `\`${u}\``).join(', ')}` : ''}` +
        `${first.requests.nonGet ? `; ${first.requests.nonGet} requests were not GETs` : '; every ARM request was a GET'}.`,
      `Other requests per run: ${Object.entries(first.services).filter(([s]) => s !== 'arm').map(([s, c]) => `${s === 'other' ? 'scoring hosts (probes)' : s} ${c}`).join(', ')}` +
        ' (the probes\' TLS-only handshakes — legacy TLS, certificate — and refused plain-HTTP connections leave no entry in the log).',
      '',
    );
  }

  out.push(
    '### Where the time goes',
    '',
    'Phases from the request log (its clock is this machine\'s), in ms since the spawn, medians over the runs: first arrival → last answer,',
    'requests, and the most in flight at once. Each page of online endpoints is probed, and its metrics and deployments read, as soon',
    'as it arrives, while the next page is read; the rules run once the inventory is complete.',
    '',
  );
  for (const g of r.gate) {
    out.push(`${g.version}:`, '', '| Phase | From → to | Span | Requests | Most in flight |', '|---|---|---|---|---|');
    out.push(`| Start-up (spawn → first request) | 0 → ${ms(median(g.runs.map((x) => x.timeline.startupMs)))} | | | |`);
    out.push(phaseRow('Sign-in (Azure DevOps OIDC, Entra)', spanMedian(g, (x) => x.timeline.signIn)));
    out.push(phaseRow('Inventory (collector\'s ARM reads)', spanMedian(g, (x) => x.timeline.inventory)));
    out.push(phaseRow('Monitoring (metrics, activity log)', spanMedian(g, (x) => x.timeline.monitoring)));
    out.push(phaseRow('Probes (requests to scoring hosts)', spanMedian(g, (x) => x.timeline.probes)));
    out.push(`| Last answer → exit | | ${ms(median(g.runs.map((x) => x.timeline.tailMs)))} | | |`, '');
  }
  out.push(...r.gate.flatMap((g) => whereTimeGoes(r, g)), '');
  if (r.profiles?.length) {
    const areas = [...new Set(r.profiles.flatMap((p) => p.cpu.areas.map((a) => a.area)))];
    const total = (p: (typeof r.profiles)[number]) => p.cpu.areas.reduce((n, a) => n + a.ms, 0);
    areas.sort((a, b) => (r.profiles![0].cpu.areas.find((x) => x.area === b)?.ms ?? 0) - (r.profiles![0].cpu.areas.find((x) => x.area === a)?.ms ?? 0));
    out.push(
      'The task\'s main thread by area: one more run per Node with V8\'s sampling profiler loaded into the task',
      '(`bench/profilePreload.ts`, 1 ms interval; not among the timed runs, and the profiler makes it slower). Each sample counts',
      'for the first area any frame of its stack belongs to (`bench/cpuAreas.ts`; bundled frames mapped to their sources).',
      '',
      `| Area | ${r.profiles.map((p) => `${p.version} (run of ${ms(p.wallMs)})`).join(' | ')} |`,
      `|---|${r.profiles.map(() => '---').join('|')}|`,
      ...areas.map((a) => `| ${a} | ${r.profiles!.map((p) => {
        const x = p.cpu.areas.find((y) => y.area === a)?.ms ?? 0;
        return `${ms(x)} (${Math.round((x / Math.max(1, total(p))) * 100)}%)`;
      }).join(' | ')} |`),
      '',
    );
  }

  if (r.probes?.length) {
    const p0 = r.probes[0].runs[0];
    out.push(
      `## Endpoint probes (issue 4): ${p0.n} endpoints within one probe timeout plus a margin`,
      '',
      `\`bench/probeConcurrency.ts\` in a fresh process per Node: ${p0.n} local HTTPS servers, every second one silent (accepts and never`,
      `answers), all probed in one \`probeEndpoints\` call with a ${ms(p0.timeoutMs)} timeout. Goal: the whole call within the timeout`,
      `+ ${ms(p0.goalMs - p0.timeoutMs)}, which holds only if every probe of every endpoint runs at once. The silent servers count the`,
      'connections they hold open at once: equal to all they received means nothing waited for anything else.',
      '',
      '| Node | Wall, median | Goal | Silent connections open at once / received | Result |',
      '|---|---|---|---|---|',
    );
    for (const p of r.probes) {
      const open = p.runs.map((x) => `${x.maxOpenSilent}/${x.silentConnections}`).join(', ');
      out.push(`| ${p.version} | ${spread(p.wall)} | ≤ ${ms(p.runs[0].goalMs)} | ${open} | ${verdict(p.wall.medianMs <= p.runs[0].goalMs)} |`);
    }
    const st = p0.statuses;
    out.push('', `Checks in the first run: ${st.pass} pass, ${st.fail} fail, ${st.unreachable} unreachable (the silent servers), ${st['not-applicable']} not applicable.`, '');
  }
  return out;
}
