/**
 * One WorkspaceInventory per workspace a template deploys (its children, the linked resources the template also
 * declares, diagnostic settings and role assignments that apply to it), plus the list of values the template
 * leaves open ("slots"), which worlds.ts varies to tell a real finding from one that depends on deployment input.
 */
import type { ArmResource, WorkspaceInventory } from '../../rules/types';
import { setOwn } from './json';
import type { TemplateResource } from './resources';
import { isUnknown, render } from './unknown';

/** A value the template does not fix, at one property of one resource of an inventory. */
export interface Slot {
  /** ARM id of the resource holding it (as in the inventory). */
  resourceId: string;
  /** Property path inside that resource. */
  path: string[];
  /** The expression it comes from (canonical spelling). */
  text: string;
  /** The open inputs behind it, e.g. `parameters('pna')`: what messages name. */
  causes: readonly string[];
  /** The complete set of values it can take, when known; undefined when open. */
  candidates?: readonly unknown[];
  /** An open string with known parts (`concat('st', x)`, a resource id): surely a non-empty string of that shape. */
  partial?: boolean;
  /** A whole top-level object (`properties`) left open: empty in the base world, else absent. */
  object?: boolean;
}

export interface TemplateInventory {
  inventory: WorkspaceInventory;
  slots: Slot[];
  /** Lower-case ARM id → the template declaration it came from (line numbers, names, copy loops). */
  sources: Map<string, TemplateResource>;
  /**
   * True when the workspace itself is not deployed by the template (its computes or datastores are): the
   * inventory carries a bare stand-in workspace and only child rules that do not read the workspace are run.
   */
  stub: boolean;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Top-level fields ARM defines as objects: an unknown one is an object of unknown content, not a string. */
const OBJECT_FIELDS = new Set(['properties', 'identity', 'sku', 'tags', 'plan', 'extendedLocation']);

/** A copy of `v` with each Unknown replaced by its string form (`{parameters('x')}`), recorded as a slot. */
function materialize(v: unknown, path: string[], resourceId: string, slots: Slot[]): unknown {
  if (isUnknown(v)) {
    if (path.length === 1 && OBJECT_FIELDS.has(path[0])) {
      slots.push({ resourceId, path, text: v.text, causes: v.causes, object: true });
      return {};
    }
    const partial = v.parts.some((p) => typeof p === 'string' && p !== '');
    slots.push({ resourceId, path, text: v.text, causes: v.causes, candidates: v.candidates, ...(partial ? { partial } : {}) });
    return render(v);
  }
  if (Array.isArray(v)) return v.map((x, i) => materialize(x, [...path, String(i)], resourceId, slots));
  if (!isObject(v)) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) setOwn(out, k, materialize(x, [...path, k], resourceId, slots));
  return out;
}

/** Principal types a role assignment may name; a template that omits principalType could mean any of them. */
const PRINCIPAL_TYPES = ['User', 'Group', 'ServicePrincipal'];

interface Materialized {
  src: TemplateResource;
  arm: ArmResource;
  slots: Slot[];
}

function materializeResource(src: TemplateResource): Materialized {
  const slots: Slot[] = [];
  const arm = materialize(src.body, [], src.id, slots) as ArmResource;
  if (src.kind === 'roleAssignment') {
    const props = (arm.properties ??= {});
    // ARM fills principalType in on a live assignment; in a template its absence says nothing about the principal.
    if (props.principalType === undefined) slots.push({ resourceId: src.id, path: ['properties', 'principalType'], text: 'properties.principalType', causes: ['properties.principalType'], candidates: PRINCIPAL_TYPES });
  }
  return { src, arm, slots };
}

const lower = (s: string) => s.toLowerCase();

function isUnder(id: string, parentId: string): boolean {
  return lower(id).startsWith(`${lower(parentId)}/`);
}

/** The workspace a child resource (`…/workspaces/ws/computes/cpu`) belongs to. */
function parentWorkspaceId(id: string): string {
  const at = lower(id).lastIndexOf('/');
  const at2 = at > 0 ? id.lastIndexOf('/', at - 1) : -1;
  return at2 > 0 ? id.slice(0, at2) : id;
}

/** Private endpoints declared in the template, as the connections they create on the workspace. */
function endpointConnections(ws: ArmResource, endpoints: Materialized[], sources: Map<string, TemplateResource>): ArmResource[] {
  const out: ArmResource[] = [];
  for (const pe of endpoints) {
    for (const [list, status] of [['privateLinkServiceConnections', 'Approved'], ['manualPrivateLinkServiceConnections', 'Pending']] as const) {
      const conns = pe.arm.properties?.[list];
      if (!Array.isArray(conns)) continue;
      for (const c of conns) {
        const target = isObject(c) && isObject(c.properties) ? c.properties.privateLinkServiceId : undefined;
        if (typeof target !== 'string' || lower(target) !== lower(ws.id)) continue;
        // Same-tenant endpoints created with privateLinkServiceConnections are approved automatically; manual ones wait.
        const id = `${ws.id}/privateEndpointConnections/${String(pe.arm.name ?? 'endpoint')}`;
        sources.set(lower(id), pe.src);
        out.push({
          id,
          name: pe.arm.name,
          type: 'Microsoft.MachineLearningServices/workspaces/privateEndpointConnections',
          properties: { privateEndpoint: { id: pe.arm.id }, privateLinkServiceConnectionState: { status } },
        });
      }
    }
  }
  return out;
}

const LINKS = [
  ['storageAccount', 'storageAccount'],
  ['keyVault', 'keyVault'],
  ['containerRegistry', 'containerRegistry'],
  ['applicationInsights', 'applicationInsights'],
] as const;

export function buildInventories(resources: TemplateResource[]): TemplateInventory[] {
  const deployed = resources.filter((r) => !r.existing).map(materializeResource);
  const byId = new Map(deployed.map((m) => [lower(m.arm.id), m]));
  const ofKind = (k: TemplateResource['kind']) => deployed.filter((m) => m.src.kind === k);
  const workspaces = ofKind('workspace');
  const children = deployed.filter((m) => ['compute', 'datastore', 'connection', 'privateEndpointConnection'].includes(m.src.kind));
  const out: TemplateInventory[] = [];

  for (const ws of workspaces) {
    const used: Materialized[] = [ws];
    const sources = new Map<string, TemplateResource>();
    const mine = children.filter((c) => isUnder(c.arm.id, ws.arm.id));
    const pick = (k: TemplateResource['kind']) => mine.filter((c) => c.src.kind === k);
    used.push(...mine);
    const linked: Partial<WorkspaceInventory> = {};
    for (const [prop, kind] of LINKS) {
      const ref = ws.arm.properties?.[prop];
      const m = typeof ref === 'string' ? byId.get(lower(ref)) : undefined;
      if (m && m.src.kind === kind) { linked[prop] = m.arm; used.push(m); }
    }
    const diagnostics = ofKind('diagnosticSetting').filter((d) => d.src.scopeId !== undefined && lower(d.src.scopeId) === lower(ws.arm.id));
    const assignments = ofKind('roleAssignment').filter((a) => {
      const scope = a.src.scopeId;
      return scope !== undefined && (lower(scope) === lower(ws.arm.id) || isUnder(ws.arm.id, scope) || isUnder(scope, ws.arm.id));
    });
    const definitions = ofKind('roleDefinition');
    used.push(...diagnostics, ...assignments, ...definitions);
    for (const m of used) sources.set(lower(m.arm.id), m.src);
    const pecs = [...pick('privateEndpointConnection').map((m) => m.arm), ...endpointConnections(ws.arm, ofKind('privateEndpoint'), sources)];
    out.push({
      inventory: {
        workspace: ws.arm,
        computes: pick('compute').map((m) => m.arm),
        datastores: pick('datastore').map((m) => m.arm),
        connections: pick('connection').map((m) => m.arm),
        privateEndpointConnections: pecs,
        diagnosticSettings: diagnostics.map((m) => m.arm),
        roleAssignments: assignments.map((m) => m.arm),
        roleDefinitions: definitions.map((m) => m.arm),
        ...linked,
      },
      slots: used.flatMap((m) => m.slots),
      sources,
      stub: false,
    });
  }

  // Children of a workspace deployed elsewhere (or declared `existing`): judged against a bare stand-in.
  const orphans = new Map<string, Materialized[]>();
  for (const c of children) {
    if (workspaces.some((w) => isUnder(c.arm.id, w.arm.id))) continue;
    const parent = parentWorkspaceId(c.arm.id);
    orphans.set(lower(parent), [...(orphans.get(lower(parent)) ?? []), c]);
  }
  for (const group of orphans.values()) {
    const wsId = parentWorkspaceId(group[0].arm.id);
    const sources = new Map(group.map((m) => [lower(m.arm.id), m.src] as const));
    out.push({
      inventory: {
        workspace: { id: wsId, name: wsId.slice(wsId.lastIndexOf('/') + 1), type: 'Microsoft.MachineLearningServices/workspaces' },
        computes: group.filter((m) => m.src.kind === 'compute').map((m) => m.arm),
        datastores: group.filter((m) => m.src.kind === 'datastore').map((m) => m.arm),
        connections: group.filter((m) => m.src.kind === 'connection').map((m) => m.arm),
        privateEndpointConnections: [],
        diagnosticSettings: [],
        roleAssignments: [],
        roleDefinitions: [],
      },
      slots: group.flatMap((m) => m.slots),
      sources,
      stub: true,
    });
  }
  return out;
}
