/**
 * The EndpointHardeningCheck parts of the run summary: endpoints, probes, monitoring, who may invoke. Every value
 * that comes from Azure or from a server is escaped; Markdown only, no I/O.
 */
import { shortName } from '../../report/portal';
import { escapeMarkdown } from '../../report/markdownEscape';
import type { ProbeReport } from '../../probe';
import type { MonitoringSummary } from '../../monitoring/types';
import { childrenOf } from '../../rules/endpoint/_children';
import type { WorkspaceInventory } from '../../rules/types';
import type { EndpointInvokers } from './invokers';

type Section = { title: string; lines: string[] };
const e = (s: unknown, max = 300) => escapeMarkdown(String(s ?? ''), max);

export function endpointsSection(inv: WorkspaceInventory): Section {
  const rows: string[] = ['| Endpoint | Kind | Auth | Public access | Deployments | Traffic |', '|---|---|---|---|---|---|'];
  for (const ep of inv.onlineEndpoints ?? []) {
    const p = ep.properties ?? {};
    const traffic = Object.entries((p.traffic ?? {}) as Record<string, number>).map(([d, n]) => `${d} ${n}%`).join(', ');
    const kind = p.compute ? 'online (Kubernetes)' : 'online (managed)';
    rows.push(`| ${e(shortName(ep.id))} | ${kind} | ${e(p.authMode ?? 'unset')} | ${e(p.publicNetworkAccess ?? 'unset')} | ${(childrenOf(ep, inv.onlineDeployments) ?? []).length} | ${e(traffic || '—')} |`);
  }
  for (const ep of inv.batchEndpoints ?? []) {
    const p = ep.properties ?? {};
    rows.push(`| ${e(shortName(ep.id))} | batch | ${e(p.authMode ?? 'unset')} | — | ${(childrenOf(ep, inv.batchDeployments) ?? []).length} | default: ${e(p.defaults?.deploymentName ?? 'none')} |`);
  }
  const count = (inv.onlineEndpoints?.length ?? 0) + (inv.batchEndpoints?.length ?? 0);
  return { title: `Endpoints (${count})`, lines: count ? rows : ['The workspace has no online or batch endpoint.'] };
}

const STATUS_ICON: Record<string, string> = { pass: '✅', fail: '❌', unreachable: '⛔', 'not-applicable': '—' };
/** Column heads: the rule titles are too long for a table the run page shows at its width. */
const PROBE_LABEL: Record<string, string> = {
  'AML-PRB-001': 'Anonymous refused',
  'AML-PRB-002': 'No plain HTTP',
  'AML-PRB-003': 'No TLS < 1.2',
  'AML-PRB-004': 'Certificate',
  'AML-PRB-005': 'No leaks',
};

export function probesSection(reports: ProbeReport[], ruleTitles: Map<string, string>): Section {
  if (!reports.length) return { title: 'Live probes', lines: ['No online endpoint with a scoring URI to probe.'] };
  const ids = [...new Set(reports.flatMap((r) => r.checks.map((c) => c.ruleId)))].sort();
  const lines = [`| Endpoint | ${ids.map((id) => `${PROBE_LABEL[id] ?? id} (${id})`).join(' | ')} |`, `|---|${ids.map(() => '---').join('|')}|`];
  const notes: string[] = [];
  for (const r of reports) {
    const cells = ids.map((id) => {
      const c = r.checks.find((x) => x.ruleId === id);
      if (!c) return '—';
      // Passing cells stay short; anything else says what was seen, below the table.
      if (c.status === 'pass' || c.status === 'not-applicable') return STATUS_ICON[c.status];
      notes.push(`- ${STATUS_ICON[c.status]} ${e(shortName(r.endpointId))}, ${e(ruleTitles.get(id) ?? id)}: ${e(c.message, 300)}`);
      return `${STATUS_ICON[c.status]} ${c.status}`;
    });
    lines.push(`| ${e(shortName(r.endpointId))} | ${cells.join(' | ')} |`);
  }
  if (notes.length) lines.push('', ...notes);
  return { title: 'Live probes', lines };
}

const num = (n: number | null, unit = '') => (n === null ? 'n/a' : `${Number.isInteger(n) ? n : n.toFixed(1)}${unit}`);

export function monitoringSection(s: MonitoringSummary): Section {
  const lines = [`Window: ${e(s.window.start)} to ${e(s.window.end)} (${s.window.days} days).`, ''];
  if (s.endpoints.length) {
    lines.push('| Endpoint | Requests | 401/403 | 429 | 5xx | Avg latency |', '|---|---|---|---|---|---|');
    for (const r of s.endpoints) {
      lines.push(
        `| ${e(r.name)} | ${num(r.requests)} | ${num(r.authFailures)} (${num(r.authFailureRatePercent, '%')}) | ${num(r.throttled)} (${num(r.throttledRatePercent, '%')}) | ` +
          `${num(r.serverErrors)} (${num(r.serverErrorRatePercent, '%')}) | ${num(r.avgLatencyMs, ' ms')}${r.note ? ` — ${e(r.note, 200)}` : ''} |`,
      );
    }
    lines.push('');
  }
  if (s.events.length) {
    lines.push('| Time | Operation | Resource | Caller | Status | |', '|---|---|---|---|---|---|');
    for (const ev of s.events) {
      lines.push(`| ${e(ev.time)} | ${e(ev.operation)} | ${e(shortName(ev.resourceId))} | ${e(ev.caller)} | ${e(ev.status)} | ${ev.trusted ? 'pipeline or allowed' : ev.ruleId ? `⚠️ ${e(ev.ruleId)}` : ''} |`);
    }
    if (s.eventsOmitted) lines.push('', `${s.eventsOmitted} more operations are left out of this table.`);
  } else {
    lines.push('No key, auth, network, role or deployment change in the activity log over the window.');
  }
  return { title: 'Monitoring evidence', lines };
}

/** A role assignment scope in words relative to the endpoint: readers need the level, not the id. */
export function scopeLabel(scope: string, endpointId: string): string {
  const s = scope.toLowerCase().replace(/\/+$/, '');
  if (s === endpointId.toLowerCase()) return 'this endpoint';
  const parts = scope.split('/').filter(Boolean);
  const last = parts.length >= 2 ? `${parts[parts.length - 2]}/${parts[parts.length - 1]}` : scope;
  if (/\/workspaces\/[^/]+$/i.test(s)) return `workspace ${parts[parts.length - 1]}`;
  if (/^\/subscriptions\/[^/]+\/resourcegroups\/[^/]+$/i.test(s)) return `resource group ${parts[parts.length - 1]}`;
  if (/^\/subscriptions\/[^/]+$/i.test(s)) return `subscription ${parts[1]}`;
  if (s === '' || s === '/') return 'tenant root';
  return last;
}

export function invokersSection(list: EndpointInvokers[]): Section {
  if (!list.length) return { title: 'Who may invoke', lines: ['No endpoint.'] };
  const lines = ['| Endpoint | Principal | Type | Role | Granted at |', '|---|---|---|---|---|'];
  for (const ep of list) {
    if (!ep.invokers.length) lines.push(`| ${e(shortName(ep.endpointId))} | (no role assignment grants invoke) | | | |`);
    for (const i of ep.invokers) lines.push(`| ${e(shortName(ep.endpointId))} | ${e(i.principalId)} | ${e(i.principalType)} | ${e(i.role)} | ${e(scopeLabel(i.scope, ep.endpointId), 200)} |`);
  }
  lines.push('', 'Online endpoints: roles granting `onlineEndpoints/score/action` (Entra token auth); key auth lets anyone holding a key call. Batch endpoints: roles granting `batchEndpoints/deployments/jobs/write`.');
  return { title: 'Who may invoke', lines };
}
