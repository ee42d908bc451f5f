/**
 * The page: verdicts, findings, endpoints, explanation, model card, evidence chain, lineage. Every string from
 * an attachment goes into a text node (dom.ts); the only markup from outside is the SVG of the chart
 * functions, which passes through svg.ts's sanitiser first.
 */
import { charts } from './charts';
import type { TabData, EvidenceRecordView } from './data';
import { append, clear, h, link, type Child } from './dom';
import { groupEndpoints, familyOf, FAMILIES, ENDPOINT_GATE } from './endpoints';
import type { BundleView, Check, EnvelopeView } from './evidence';
import { countBySeverity, filterRows, sortRows, SEVERITIES, type FilterSpec, type FindingRow, type Severity, type SortKey, type SortSpec } from './findings';
import { VirtualGrid } from './grid';
import { sanitizedSvg } from './svg';

export const ROW_HEIGHT = 34;
export const DETAIL_HEIGHT = 200;

function when(iso?: string): string {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function badge(verdict: string): HTMLElement {
  const cls = verdict === 'passed' ? 'pass' : verdict === 'failed' ? 'fail' : 'unknown';
  const text = verdict === 'passed' ? 'Passed' : verdict === 'failed' ? 'Failed' : 'Unknown';
  return h('span', { class: `badge ${cls}` }, text);
}

function sevChip(s: Severity): HTMLElement {
  return h('span', { class: `sev sev-${s}` }, s);
}

function section(id: string, title: string, ...children: (Child | Child[])[]): HTMLElement {
  return h('section', { id, 'aria-labelledby': `${id}-h` }, h('h2', { id: `${id}-h` }, title), ...children);
}

function short(id: string, n = 12): string {
  return id.length > n ? `${id.slice(0, n)}…` : id;
}

// ----------------------------------------------------------------------------------------- verdicts

export function gateNames(data: TabData): string[] {
  const names = new Set<string>([...data.records.keys(), ...data.runs.map((r) => r.gate)]);
  return [...names].sort();
}

function verdictCards(data: TabData): HTMLElement {
  const names = gateNames(data);
  const list = h('div', { class: 'cards' });
  for (const gate of names) {
    const rec = data.records.get(gate);
    const run = data.runs.find((r) => r.gate === gate);
    const rows = data.rows.filter((r) => r.gate === gate);
    const counts = rec?.counts ?? countBySeverity(rows);
    const waived = rows.filter((r) => r.waived).length;
    list.appendChild(
      h('article', { class: 'card', 'data-gate': gate },
        h('header', null, h('h3', null, gate), badge(rec?.verdict ?? 'unknown')),
        h('p', { class: 'counts' }, ...SEVERITIES.filter((s) => counts[s]).map((s) => h('span', { class: `count sev-${s}` }, `${counts[s]} ${s}`)), SEVERITIES.every((s) => !counts[s]) ? 'No active findings' : null),
        h('p', { class: 'muted' }, rec?.threshold ? `Fails at ${rec.threshold} or above` : 'No evidence record attached: verdict unknown', waived ? ` · ${waived} waived` : '', rec?.finishedAt ? ` · ${when(rec.finishedAt)}` : ''),
        rec?.error ? h('p', { class: 'error-text' }, rec.error) : null,
        run && !run.executionSuccessful && !rec?.error ? h('p', { class: 'error-text' }, 'The gate reported that it could not complete its checks.') : null,
      ),
    );
  }
  const failed = names.filter((g) => data.records.get(g)?.verdict === 'failed').length;
  const unknown = names.filter((g) => !data.records.get(g)).length;
  const overall = failed ? 'failed' : unknown || names.length === 0 ? 'unknown' : 'passed';
  const summary = names.length
    ? `${names.length} gate${names.length === 1 ? '' : 's'}: ${failed} failed${unknown ? `, ${unknown} without a verdict` : ''}.`
    : 'No MLOps Gates attachments in this run.';
  return section('verdicts', 'Gate verdicts', h('p', { class: 'overall', 'data-overall': overall }, badge(overall), ' ', summary), names.length ? list : null);
}

// ----------------------------------------------------------------------------------------- findings

/** ARM ids all start alike; the table shows their tail (kind/name), the tooltip and the detail the whole id. */
export function shortLocation(loc: string): string {
  if (!/^\/subscriptions\//i.test(loc)) return loc;
  const parts = loc.split('/').filter(Boolean);
  return parts.length > 4 ? `…/${parts.slice(-4).join('/')}` : loc;
}

function detailOf(r: FindingRow): Node {
  return h('div', { class: 'detail' },
    h('p', null, h('strong', null, `${r.ruleId} · ${r.ruleTitle}`)),
    h('p', { class: 'mono wrap' }, r.location),
    h('p', null, r.message),
    r.preview ? h('p', { class: 'muted' }, 'Redacted preview: ', h('code', null, r.preview)) : null,
    r.waiver ? h('p', { class: 'waiver' }, `Waived by ${r.waiver.owner || 'unknown owner'} until ${r.waiver.expires || '?'}: ${r.waiver.reason}`) : null,
    r.baseline ? h('p', { class: 'muted' }, `Baseline: ${r.baseline === 'unchanged' ? 'already known' : 'new in this change'}`) : null,
    r.rationale ? h('p', null, h('em', null, 'Why: '), r.rationale) : null,
    r.remediation ? h('p', null, h('em', null, 'Remediation: '), r.remediation) : null,
    r.references.length ? h('ul', { class: 'refs' }, ...r.references.map((ref) => h('li', null, link(ref.title || ref.url, ref.url)))) : null,
  );
}

export interface FindingsController {
  element: HTMLElement;
  grid: VirtualGrid<FindingRow>;
  /** Milliseconds the last filter + sort + render took (the browser test reads it). */
  lastApplyMs: number;
  shown: number;
}

function findingsSection(data: TabData): FindingsController {
  const filter: FilterSpec = { text: '', severity: 'all', waiver: 'all', gate: 'all' };
  const sort: SortSpec = { key: 'severity', descending: false };
  const gates = [...new Set(data.rows.map((r) => r.gate))].sort();
  const status = h('p', { class: 'muted', id: 'findings-status', role: 'status', 'aria-live': 'polite' });
  const grid = new VirtualGrid<FindingRow>({
    label: 'Findings',
    rowHeight: ROW_HEIGHT,
    detailHeight: DETAIL_HEIGHT,
    rowKey: (r) => r.id,
    sort,
    onSort: (key) => {
      if (sort.key === key) sort.descending = !sort.descending;
      else {
        sort.key = key as SortKey;
        sort.descending = false;
      }
      grid.setSort({ ...sort });
      apply();
    },
    detail: detailOf,
    columns: [
      { key: 'severity', title: 'Severity', width: '6.5rem', sortable: true, cell: (r) => sevChip(r.severity) },
      { key: 'ruleId', title: 'Rule', width: 'minmax(7rem, 1fr)', sortable: true, cell: (r) => r.ruleId, tooltip: (r) => `${r.ruleId}: ${r.ruleTitle}` },
      { key: 'location', title: 'Resource or file', width: 'minmax(10rem, 2.5fr)', sortable: true, cell: (r) => shortLocation(r.location), tooltip: (r) => r.location },
      { key: 'message', title: 'Message', width: 'minmax(10rem, 3fr)', sortable: true, cell: (r) => r.message, tooltip: (r) => r.message },
      { key: 'waived', title: 'Waiver', width: '5.5rem', sortable: true, cell: (r) => (r.waived ? h('span', { class: 'tag waived' }, 'waived') : h('span', { class: 'tag active' }, 'active')) },
      { key: 'gate', title: 'Gate', width: 'minmax(6rem, 1fr)', sortable: true, cell: (r) => r.gate },
    ],
  });
  const ctl: FindingsController = { element: h('div'), grid, lastApplyMs: 0, shown: 0 };
  // Sorted once per sort order; a keystroke only filters that list (filtering keeps order): O(n), no sort.
  let sorted: { key: string; rows: FindingRow[] } | undefined;
  const apply = () => {
    const t0 = performance.now();
    const sortId = `${sort.key}:${sort.descending}`;
    if (sorted?.key !== sortId) sorted = { key: sortId, rows: sortRows(data.rows, sort) };
    const rows = filterRows(sorted.rows, filter);
    grid.setRows(rows);
    ctl.lastApplyMs = performance.now() - t0;
    ctl.shown = rows.length;
    grid.element.dataset.applyMs = ctl.lastApplyMs.toFixed(1);
    grid.element.dataset.shown = String(rows.length);
    status.textContent = `Showing ${rows.length.toLocaleString('en-US')} of ${data.rows.length.toLocaleString('en-US')} findings.`;
  };
  const select = (id: string, label: string, options: Array<[string, string]>, on: (v: string) => void) =>
    h('label', { for: id }, label, ' ', h('select', { id, 'on:change': (e: Event) => { on((e.target as HTMLSelectElement).value); apply(); } }, ...options.map(([v, t]) => h('option', { value: v }, t))));
  const filters = h('div', { class: 'filters', role: 'search' },
    h('label', { for: 'f-text' }, 'Filter ', h('input', { id: 'f-text', type: 'search', placeholder: 'rule, file, resource, message…', autocomplete: 'off', 'on:input': (e: Event) => { filter.text = (e.target as HTMLInputElement).value; apply(); } })),
    select('f-severity', 'Severity', [['all', 'All'], ...SEVERITIES.map((s): [string, string] => [s, s])], (v) => (filter.severity = v as FilterSpec['severity'])),
    select('f-waiver', 'Waiver', [['all', 'All'], ['active', 'Active'], ['waived', 'Waived']], (v) => (filter.waiver = v as FilterSpec['waiver'])),
    gates.length > 1 ? select('f-gate', 'Gate', [['all', 'All'], ...gates.map((g): [string, string] => [g, g])], (v) => (filter.gate = v)) : null,
  );
  ctl.element = section('findings', 'Security findings', filters, status, grid.element);
  // First render after the grid is in the document, when its height is known.
  queueMicrotask(apply);
  return ctl;
}

// ----------------------------------------------------------------------------------------- endpoints

function endpointsSection(data: TabData): HTMLElement | null {
  const rec = data.records.get(ENDPOINT_GATE);
  const rows = data.rows.filter((r) => r.gate === ENDPOINT_GATE);
  if (!rec && !rows.length) return null;
  const groups = groupEndpoints(rows, rec?.targets ?? []);
  const list = h('div', { class: 'endpoints' });
  for (const g of groups) {
    const active = g.rows.filter((r) => !r.waived);
    const c = countBySeverity(g.rows);
    const probes = g.rows.filter((r) => familyOf(r.ruleId) === 'PRB');
    const byFamily = new Map<string, FindingRow[]>();
    for (const r of g.rows) {
      const f = familyOf(r.ruleId);
      byFamily.set(f, [...(byFamily.get(f) ?? []), r]);
    }
    list.appendChild(
      h('details', { class: 'endpoint', open: active.length > 0 && groups.length <= 6 },
        h('summary', null,
          h('span', { class: 'ep-name' }, g.name), ' ',
          h('span', { class: 'muted' }, g.kind === 'workspace' ? '' : `${g.kind} endpoint`), ' ',
          active.length ? h('span', { class: 'counts' }, ...SEVERITIES.filter((s) => c[s]).map((s) => h('span', { class: `count sev-${s}` }, `${c[s]} ${s}`))) : h('span', { class: 'badge pass' }, 'No active findings'),
        ),
        g.id ? h('p', { class: 'mono wrap muted' }, g.id) : null,
        h('p', { class: 'muted' }, probes.length ? `Live probes: ${probes.filter((p) => !p.waived).length} failed check${probes.length === 1 ? '' : 's'} (passing probes are not listed in the attachments).` : rec?.targets.length ? 'Live probes: no failing probe reported for this endpoint.' : ''),
        ...[...byFamily].map(([f, rs]) =>
          h('div', { class: 'family' },
            h('h4', null, FAMILIES[f] ?? 'Other checks'),
            h('table', { class: 'simple' },
              h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Severity'), h('th', { scope: 'col' }, 'Rule'), h('th', { scope: 'col' }, 'Finding'), h('th', { scope: 'col' }, 'Waiver'))),
              h('tbody', null, ...rs.map((r) => h('tr', null, h('td', null, sevChip(r.severity)), h('td', { title: r.ruleTitle }, r.ruleId), h('td', null, r.message, r.remediation ? h('div', { class: 'muted' }, r.remediation) : null), h('td', null, r.waived ? 'waived' : 'active')))),
            ),
          ),
        ),
      ),
    );
  }
  return section('endpoints', 'Endpoint checks and probes', rec ? h('p', null, badge(rec.verdict), ` ${groups.filter((g) => g.kind !== 'workspace').length} endpoint(s) checked; ${rows.filter((r) => !r.waived).length} active finding(s).`) : null, list);
}

// ----------------------------------------------------------------------------------------- explanation

const num = (v: unknown, d = 4) => (typeof v === 'number' && Number.isFinite(v) ? (Math.abs(v) >= 1000 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(2) : v.toFixed(d)) : '—');

function table(head: string[], body: Array<Array<Child>>, caption?: string): HTMLElement {
  return h('table', { class: 'simple' },
    caption ? h('caption', null, caption) : null,
    h('thead', null, h('tr', null, ...head.map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', null, ...body.map((r) => h('tr', null, ...r.map((c) => h('td', null, c))))),
  );
}

function bar(fraction: number): HTMLElement {
  const pct = Math.max(0, Math.min(1, fraction)) * 100;
  return h('span', { class: 'bar', 'aria-hidden': 'true' }, h('span', { style: `width:${pct.toFixed(1)}%` }));
}

function explanationSection(data: TabData): HTMLElement | null {
  const x = data.explanation?.value;
  if (!x) return null;
  const out: Child[] = [];
  const model = x.model ?? {};
  out.push(h('p', null, `Model ${model.name ?? model.path ?? '?'}${model.version ? ` version ${model.version}` : ''} (${x.taskType ?? '?'}), ${x.rows ?? '?'} rows, target ${x.target ?? '?'}; seed ${x.seed ?? '?'}. `, h('span', { class: 'mono muted' }, `sha256 ${short(String(model.sha256 ?? ''), 16)}`)));
  const metrics = Object.entries(x.metrics ?? {}).filter(([k, v]) => k !== 'rows' && typeof v === 'number');
  if (metrics.length) out.push(table(['Metric', 'Value', ...(x.champion ? ['Champion'] : [])], metrics.map(([k, v]) => [k, num(v), ...(x.champion ? [num(x.champion.metrics?.[k])] : [])]), 'Metrics on the evaluation data'));
  const pi = x.permutationImportance;
  const c = charts();
  if (pi && Array.isArray(pi.featureNames)) {
    const svg = c?.importanceBars ? sanitizedSvg(safeCall(() => c.importanceBars!(pi))) : undefined;
    if (svg) out.push(h('figure', { class: 'chart' }, svg, h('figcaption', null, `Permutation importance (drop in ${pi.metric})`)));
    else {
      const max = Math.max(1e-12, ...pi.mean.map((v: number) => Math.abs(v)));
      const order = pi.featureNames.map((_: string, i: number) => i).sort((a: number, b: number) => Math.abs(pi.mean[b]) - Math.abs(pi.mean[a]));
      out.push(table(['Feature', `Drop in ${pi.metric}`, '± std', ''], order.map((i: number) => [pi.featureNames[i], num(pi.mean[i]), num(pi.std?.[i]), bar(Math.abs(pi.mean[i]) / max)]), `Permutation importance (${pi.repeats} repeats, baseline ${num(pi.baseline)})`));
    }
  }
  const shap = x.shap;
  if (shap && Array.isArray(shap.values) && Array.isArray(shap.featureNames)) {
    const svg = c?.shapSummary ? sanitizedSvg(safeCall(() => c.shapSummary!(shap))) : undefined;
    if (svg) out.push(h('figure', { class: 'chart' }, svg, h('figcaption', null, 'SHAP summary')));
    else {
      const meanAbs = shap.featureNames.map((_: string, f: number) => shap.values.reduce((s: number, row: number[]) => s + Math.abs(row[f] ?? 0), 0) / Math.max(1, shap.values.length));
      const max = Math.max(1e-12, ...meanAbs);
      const order = meanAbs.map((_: number, i: number) => i).sort((a: number, b: number) => meanAbs[b] - meanAbs[a]);
      out.push(table(['Feature', 'Mean |SHAP|', ''], order.map((i: number) => [shap.featureNames[i], num(meanAbs[i]), bar(meanAbs[i] / max)]), `SHAP (${shap.method}, ${shap.values.length} rows explained, base value ${num(shap.baseValue)} in ${shap.outputSpace})`));
    }
  }
  const pd = x.partialDependence ?? {};
  const pdNames = Object.keys(pd);
  if (pdNames.length) {
    const figs: Child[] = [];
    for (const f of pdNames.slice(0, 6)) {
      const svg = c?.dependencePlot ? sanitizedSvg(safeCall(() => c.dependencePlot!(f, pd[f]))) : undefined;
      if (svg) figs.push(h('figure', { class: 'chart small' }, svg, h('figcaption', null, `Partial dependence: ${f}`)));
      else {
        const g: number[] = pd[f]?.grid ?? [];
        const a: number[] = pd[f]?.average ?? [];
        figs.push(table(['Value of ' + f, 'Average prediction'], g.slice(0, 12).map((v, i) => [num(v, 3), num(a[i])]), `Partial dependence: ${f}${g.length > 12 ? ` (first 12 of ${g.length} grid points)` : ''}`));
      }
    }
    out.push(h('div', { class: 'pd-grid' }, ...figs));
  }
  if (x.champion) {
    const shifts = Object.entries(x.champion.importanceShift ?? {}).sort((a, b) => Math.abs(Number(b[1])) - Math.abs(Number(a[1])));
    out.push(table(['Feature', 'Importance shift vs champion'], shifts.slice(0, 10).map(([f, v]) => [f, num(v)]), `Against champion ${x.champion.model?.name ?? ''}${x.champion.model?.version ? ` v${x.champion.model.version}` : ''}: largest shift ${num(x.champion.maxShift)}`));
  }
  if (Array.isArray(x.warnings) && x.warnings.length) out.push(h('ul', { class: 'warnings' }, ...x.warnings.map((w: unknown) => h('li', null, String(w)))));
  return section('explanation', 'Model explanation', ...out);
}

function safeCall(f: () => string): string | undefined {
  try {
    return f();
  } catch {
    return undefined;
  }
}

// ----------------------------------------------------------------------------------------- model card

function valueNode(v: unknown, depth = 0): Child {
  if (v === null || v === undefined) return h('span', { class: 'muted' }, 'not provided');
  if (typeof v !== 'object') return String(v);
  if (depth > 4) return JSON.stringify(v).slice(0, 200);
  if (Array.isArray(v)) return v.length ? h('ul', null, ...v.slice(0, 50).map((x) => h('li', null, valueNode(x, depth + 1)))) : h('span', { class: 'muted' }, 'none');
  return h('dl', { class: 'kv' }, ...Object.entries(v as Record<string, unknown>).slice(0, 80).flatMap(([k, x]) => [h('dt', null, k), h('dd', null, valueNode(x, depth + 1))]));
}

function modelCardSection(data: TabData): HTMLElement | null {
  if (!data.modelCard) return null;
  return section('model-card', 'Model card', valueNode(data.modelCard.value));
}

// ----------------------------------------------------------------------------------------- evidence and lineage

function checkRow(c: Check): HTMLElement {
  const mark = c.state === 'ok' ? '✔' : c.state === 'failed' ? '✖' : '–';
  const label = c.state === 'ok' ? 'checked: holds' : c.state === 'failed' ? 'checked: FAILS' : 'not checked here';
  return h('li', { class: `check ${c.state}` }, h('span', { class: 'mark', 'aria-hidden': 'true' }, mark), ' ', h('span', { class: 'sr-only' }, `${label}: `), c.what, c.detail ? h('span', { class: 'muted' }, ` — ${c.detail}`) : null);
}

function envelopeCard(e: EnvelopeView, data: TabData): HTMLElement {
  const rec = data.records.get(e.gate);
  return h('li', { class: 'envelope' },
    h('p', null, h('strong', null, `#${e.index + 1} ${e.gate}`), ' ', badge(e.verdict), ' ', h('span', { class: 'muted' }, when(e.finishedAt))),
    h('p', { class: 'mono wrap muted' }, `model digest ${e.modelDigest ?? '?'} · envelope ${e.envelopeDigest} · key ${e.keyids.join(', ')}`),
    h('ul', { class: 'checks' }, ...e.checks.map(checkRow)),
    h('p', { class: 'muted' }, `Signature verification is the gates' job (they hold the trusted keys): ${e.gate} sealed this envelope with verdict ${e.verdict}${rec ? `; its attached record says ${rec.verdict}` : ''}.`),
  );
}

function evidenceSection(data: TabData): HTMLElement | null {
  const b: BundleView | undefined = data.bundle;
  if (!b) return null;
  const promote = data.records.get('ModelRegistryPromote');
  return section('evidence', 'Evidence chain',
    h('p', null, b.model ? `Model ${b.model.name} version ${b.model.version}` : 'Model unknown', ' ', h('span', { class: 'mono muted wrap' }, b.model?.assetId ?? ''), ` — from ${b.attachment}, ${b.envelopes.length} signed envelope${b.envelopes.length === 1 ? '' : 's'}.`),
    h('p', { class: 'note' }, 'Checked in this tab: bundle form, DSSE structure, in-toto statement, model and record digests. Signatures are ', h('strong', null, 'not'), ' verified here: the browser has no trusted public key. ',
      promote ? `ModelRegistryPromote, which verifies every signature before it promotes, reported: ${promote.verdict}.` : 'ModelRegistryPromote (which verifies signatures) did not run in this pipeline.'),
    h('ul', { class: 'checks' }, ...b.checks.map(checkRow)),
    h('ol', { class: 'envelopes' }, ...b.envelopes.map((e) => envelopeCard(e, data))),
    data.bundleNotes.length ? h('ul', { class: 'muted' }, ...data.bundleNotes.map((n) => h('li', null, n))) : null,
  );
}

interface LineageStep {
  label: string;
  value: Child;
  state?: string;
}

function lineageSection(data: TabData): HTMLElement | null {
  const envs = data.bundle?.envelopes ?? [];
  const latest = [...envs].reverse().find((e) => e.gate !== '?');
  const anyRec = [...data.records.values()][0];
  const lin = latest?.lineage ?? {};
  const repo = lin.repository ?? anyRec?.source.repository;
  const commit = lin.commit ?? anyRec?.source.commit;
  const runUrl = lin.pipelineRunUrl ?? anyRec?.pipeline.runUrl;
  if (!repo && !commit && !latest && !anyRec) return null;
  const endpointRec = data.records.get(ENDPOINT_GATE);
  const endpoints = [...new Set((endpointRec?.targets ?? []).map((t) => /\/(onlineEndpoints|batchEndpoints)\/([^/]+)$/i.exec(t)?.[2]).filter((x): x is string => Boolean(x)))];
  const steps: LineageStep[] = [
    { label: 'Commit', value: commit ? h('span', { class: 'mono' }, short(commit, 12)) : 'unknown' },
    { label: 'Repository', value: repo ? link(repo, repo) : 'unknown' },
    { label: 'Pipeline run', value: runUrl ? link(anyRec?.pipeline.runId ?? 'this run', runUrl) : anyRec?.pipeline.runId ?? 'this run' },
  ];
  if (lin.dataAssets?.length) steps.push({ label: 'Training data', value: h('span', null, ...lin.dataAssets.map((d, i) => [i ? ', ' : '', h('span', { class: 'mono' }, d)]).flat()) });
  if (lin.trainingJobId) steps.push({ label: 'Training job', value: h('span', { class: 'mono wrap' }, lin.trainingJobId) });
  if (data.bundle?.model) steps.push({ label: 'Model', value: h('span', null, `${data.bundle.model.name}:${data.bundle.model.version} `, h('span', { class: 'mono muted' }, latest?.modelDigest ? short(latest.modelDigest, 12) : '')) });
  for (const g of gateNames(data)) steps.push({ label: 'Gate', value: h('span', null, `${g} `, badge(data.records.get(g)?.verdict ?? 'unknown')), state: data.records.get(g)?.verdict });
  for (const e of endpoints) steps.push({ label: 'Endpoint', value: e });
  const c = charts();
  const gates = gateNames(data).map((g) => ({ gate: g, verdict: data.records.get(g)?.verdict ?? 'unknown' }));
  const model = data.bundle?.model;
  const svg = c?.lineageGraph && latest ? sanitizedSvg(safeCall(() => c.lineageGraph!({ ...lin, modelName: model?.name, modelVersion: model?.version, modelAssetId: model?.assetId }, gates))) : undefined;
  return section('lineage', 'Lineage: commit to endpoint',
    svg ? h('figure', { class: 'chart' }, svg) : null,
    h('ol', { class: 'lineage' }, ...steps.map((s) => h('li', { class: `step ${s.state ?? ''}` }, h('span', { class: 'step-label' }, s.label), h('span', { class: 'step-value' }, s.value)))),
  );
}

// ----------------------------------------------------------------------------------------- page

export function renderPage(root: HTMLElement, data: TabData, runLabel: string): FindingsController | undefined {
  clear(root);
  const nav = h('nav', { 'aria-label': 'Sections', class: 'toc' });
  const main = h('main', null);
  append(root, [h('header', { class: 'top' }, h('h1', null, 'MLOps Gates'), h('span', { class: 'muted' }, runLabel)), nav, main]);
  if (data.problems.length) main.appendChild(h('div', { class: 'problems', role: 'alert' }, h('strong', null, 'Some attachments could not be shown:'), h('ul', null, ...data.problems.map((p) => h('li', null, p)))));
  main.appendChild(verdictCards(data));
  let findings: FindingsController | undefined;
  if (data.runs.length) {
    findings = findingsSection(data);
    main.appendChild(findings.element);
  }
  for (const s of [endpointsSection(data), explanationSection(data), modelCardSection(data), evidenceSection(data), lineageSection(data)]) if (s) main.appendChild(s);
  for (const s of main.querySelectorAll('section')) {
    const a = h('a', { 'on:click': (e: Event) => { e.preventDefault(); (s.querySelector('h2') as HTMLElement | null)?.focus(); s.scrollIntoView(); } }, s.querySelector('h2')?.textContent ?? s.id);
    a.setAttribute('href', `#${s.id}`); // our own section id, not attachment text
    nav.appendChild(a);
  }
  for (const h2 of main.querySelectorAll('h2')) h2.setAttribute('tabindex', '-1');
  return findings;
}
