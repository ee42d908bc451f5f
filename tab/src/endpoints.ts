/**
 * EndpointHardeningCheck's findings grouped by endpoint. Its SARIF results hang off ARM ids: the endpoint,
 * a deployment under it, a role assignment at it; probes (AML-PRB-*) hang off the endpoint. Endpoints without
 * findings still appear, from the evidence record's targets, so a clean endpoint shows as checked.
 */
import type { FindingRow } from './findings';
import { severityRank } from './findings';

export const ENDPOINT_GATE = 'EndpointHardeningCheck';

export const FAMILIES: Record<string, string> = {
  OE: 'Online endpoint',
  OD: 'Online deployment',
  BE: 'Batch endpoint',
  BD: 'Batch deployment',
  PRB: 'Live probe',
  MON: 'Monitoring',
};

export interface EndpointGroup {
  /** ARM id of the endpoint, or '' for findings about the workspace as a whole. */
  id: string;
  name: string;
  kind: 'online' | 'batch' | 'workspace';
  rows: FindingRow[];
}

const ENDPOINT = /^(.*?\/(onlineEndpoints|batchEndpoints)\/[^/]+)/i;

export function endpointOf(resourceId: string): { id: string; name: string; kind: 'online' | 'batch' } | undefined {
  const m = ENDPOINT.exec(resourceId);
  if (!m) return undefined;
  return { id: m[1], name: m[1].split('/').pop() ?? m[1], kind: m[2].toLowerCase() === 'batchendpoints' ? 'batch' : 'online' };
}

export function familyOf(ruleId: string): string {
  const m = /^AML-([A-Z]+)-/.exec(ruleId);
  return m && FAMILIES[m[1]] ? m[1] : 'other';
}

/** ARM id of a finding row: the location column holds it for ARM findings. */
export function groupEndpoints(rows: readonly FindingRow[], targets: readonly string[]): EndpointGroup[] {
  const groups = new Map<string, EndpointGroup>();
  const add = (key: string, g: () => EndpointGroup) => groups.get(key) ?? (groups.set(key, g()), groups.get(key)!);
  for (const t of targets) {
    const e = endpointOf(t);
    if (e) add(e.id.toLowerCase(), () => ({ ...e, rows: [] }));
  }
  for (const r of rows) {
    if (r.gate !== ENDPOINT_GATE) continue;
    const e = endpointOf(r.location);
    const g = e ? add(e.id.toLowerCase(), () => ({ ...e, rows: [] })) : add('', () => ({ id: '', name: 'Workspace and monitoring', kind: 'workspace', rows: [] }));
    g.rows.push(r);
  }
  for (const g of groups.values()) g.rows.sort((a, b) => severityRank(b.severity) - severityRank(a.severity) || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0));
  // Worst endpoints first, then by name; the workspace group last.
  const worst = (g: EndpointGroup) => Math.max(0, ...g.rows.filter((r) => !r.waived).map((r) => severityRank(r.severity)));
  return [...groups.values()].sort((a, b) => (a.kind === 'workspace' ? 1 : 0) - (b.kind === 'workspace' ? 1 : 0) || worst(b) - worst(a) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
