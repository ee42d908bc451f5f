/**
 * The resources a template deploys, flattened: nested `resources` arrays become full types and names, copy
 * loops are taken at their first iteration, extension resources (diagnostic settings, role assignments) get the
 * id of what they extend. Each keeps its source node, so findings can point at lines.
 */
import type { Evaluator, EvalScope } from './evaluator';
import { joinSegments, providerPath, splitSegments, trimTrailingSlashes } from './ids';
import { prop, toPlain, type JNode, type JsonDocument } from './json';
import { RESOURCE_GROUP_ID, SUBSCRIPTION_ID } from './placeholders';
import { isUnknown, normalizeParts, partsOf, render, renderParts, type Part } from './unknown';

export type TemplateKind =
  | 'workspace' | 'compute' | 'datastore' | 'connection' | 'privateEndpointConnection'
  | 'storageAccount' | 'keyVault' | 'containerRegistry' | 'applicationInsights'
  | 'diagnosticSetting' | 'roleAssignment' | 'roleDefinition' | 'privateEndpoint' | 'other';

const KINDS: Record<string, TemplateKind> = {
  'microsoft.machinelearningservices/workspaces': 'workspace',
  'microsoft.machinelearningservices/workspaces/computes': 'compute',
  'microsoft.machinelearningservices/workspaces/datastores': 'datastore',
  'microsoft.machinelearningservices/workspaces/connections': 'connection',
  'microsoft.machinelearningservices/workspaces/privateendpointconnections': 'privateEndpointConnection',
  'microsoft.storage/storageaccounts': 'storageAccount',
  'microsoft.keyvault/vaults': 'keyVault',
  'microsoft.containerregistry/registries': 'containerRegistry',
  'microsoft.insights/components': 'applicationInsights',
  'microsoft.insights/diagnosticsettings': 'diagnosticSetting',
  'microsoft.authorization/roleassignments': 'roleAssignment',
  'microsoft.authorization/roledefinitions': 'roleDefinition',
  'microsoft.network/privateendpoints': 'privateEndpoint',
};

/** Fields of a resource declaration that describe the resource (the rest is deployment plumbing). */
const FIELDS = ['location', 'kind', 'sku', 'identity', 'properties', 'tags', 'zones', 'plan', 'extendedLocation'];

export interface TemplateResource {
  kind: TemplateKind;
  /** Fully qualified type, as written (e.g. `Microsoft.MachineLearningServices/workspaces/computes`). */
  type: string;
  /** Full name (`ws/cpu` for a compute), with holes where the template does not fix it. */
  fullName: Part[];
  /** ARM-like id under placeholder subscription and resource group; holes rendered as `{expression}`. */
  id: string;
  /** The resource as ARM would return it (REST shape); unknown values are still Unknown instances. */
  body: Record<string, unknown>;
  /** Extension resources: id of the resource they apply to. */
  scopeId?: string;
  /** The declaration in the template, for line numbers. */
  node: JNode;
  /** Name of the copy loop that declares it (judged on its first iteration). */
  copyLoop?: string;
  /** Declared with `existing: true`: referenced, not deployed by this template. */
  existing: boolean;
}

export interface Collected {
  resources: TemplateResource[];
  notes: string[];
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export function kindOf(type: string): TemplateKind {
  return KINDS[type.toLowerCase()] ?? 'other';
}

function typeSegments(type: string): string[] {
  return type.split('/').filter((s) => s !== '');
}

/** A scope value as an id: full ids as they are; Bicep's relative `Namespace/type/name` under the resource group. */
function scopeToId(scope: unknown): string | undefined {
  const s = isUnknown(scope) ? render(scope) : typeof scope === 'string' ? scope : undefined;
  if (s === undefined || s.trim() === '') return undefined;
  const t = trimTrailingSlashes(s.trim());
  return t.startsWith('/') ? t : `${RESOURCE_GROUP_ID}/providers/${t}`;
}

export function collectResources(doc: JsonDocument, ev: Evaluator): Collected {
  const out: TemplateResource[] = [];
  const notes: string[] = [];
  const list = prop(doc.root, 'resources')?.value;
  // languageVersion 2.0 (Bicep) keys resources by symbolic name instead of listing them.
  const decls: JNode[] = list?.kind === 'array' ? list.items : list?.kind === 'object' ? list.props.map((p) => p.value) : [];
  const line = (n: JNode) => doc.positionAt(n.start).line;
  for (const d of decls) visit(d, undefined, {}, ev, out, notes, line);
  return { resources: out, notes };
}

function visit(
  node: JNode, parent: TemplateResource | undefined, outer: EvalScope, ev: Evaluator, out: TemplateResource[], notes: string[], line: (n: JNode) => number,
): void {
  if (node.kind !== 'object') return;
  const plain = toPlain(node) as Record<string, unknown>;
  let scope = outer;
  let copyLoop: string | undefined;
  if (isObject(plain.copy)) {
    const loopName = ev.value(plain.copy.name, outer);
    copyLoop = typeof loopName === 'string' ? loopName : 'copy';
    const copy = new Map(outer.copy ?? []);
    copy.set('', 0);
    copy.set(copyLoop, 0);
    scope = { ...outer, copy };
  }
  const rawType = ev.value(plain.type, scope);
  if (typeof rawType !== 'string' || rawType === '') {
    notes.push(`a resource at line ${line(node)} has no fixed type; it was not evaluated`);
    return;
  }
  const nameParts = partsOf(ev.value(plain.name ?? '', scope));
  const placed = place(rawType, nameParts, parent, ev.value(plain.scope, scope));
  // ARM reports a child's own name (`cpu`), not the full `ws/cpu`.
  const body: Record<string, unknown> = { id: placed.id, name: renderParts(splitSegments(placed.fullName).pop() ?? []), type: placed.type };
  for (const f of FIELDS) {
    const src = findKey(plain, f);
    if (src !== undefined) body[f] = ev.value(plain[src], scope);
  }
  const res: TemplateResource = {
    kind: kindOf(placed.type),
    type: placed.type,
    fullName: placed.fullName,
    id: placed.id,
    body,
    scopeId: placed.scopeId,
    node,
    copyLoop: copyLoop ?? parent?.copyLoop,
    existing: plain.existing === true,
  };
  if (res.type.toLowerCase() === 'microsoft.resources/deployments' && JSON.stringify(plain.properties ?? {}).toLowerCase().includes('microsoft.machinelearningservices')) {
    notes.push(`nested deployment "${renderParts(placed.fullName)}" at line ${line(node)} declares Azure Machine Learning resources; nested templates are not evaluated`);
  }
  out.push(res);
  const children = prop(node, 'resources')?.value;
  if (children?.kind === 'array') for (const c of children.items) visit(c, res, scope, ev, out, notes, line);
}

function findKey(o: Record<string, unknown>, key: string): string | undefined {
  if (key in o) return key;
  const lower = key.toLowerCase();
  return Object.keys(o).find((k) => k.toLowerCase() === lower);
}

interface Placed { type: string; fullName: Part[]; id: string; scopeId?: string }

/**
 * Full type, full name and id of a declaration. Handles nested children (short type, short name), the legacy
 * extension forms (`…/workspaces/providers/diagnosticSettings` named `ws/Microsoft.Insights/x`, or a nested
 * `providers/diagnosticSettings`) and the `scope` property.
 */
function place(rawType: string, name: Part[], parent: TemplateResource | undefined, scopeValue: unknown): Placed {
  const segs = typeSegments(rawType);
  const names = splitSegments(name);
  if (parent && segs[0]?.toLowerCase() === 'providers' && segs.length === 2) {
    // Nested legacy extension: type `providers/diagnosticSettings`, name `Microsoft.Insights/setting`.
    const [ns, ...rest] = names;
    const type = `${renderParts(ns ?? [])}/${segs[1]}`;
    return { type, fullName: joinSegments(rest), id: idUnder(parent.id, type, [joinSegments(rest)]), scopeId: parent.id };
  }
  const providersAt = segs.findIndex((s, i) => i > 0 && s.toLowerCase() === 'providers');
  if (!parent && providersAt > 0) {
    // Top-level legacy extension: target type before `/providers/`, extension type after it.
    const targetType = segs.slice(0, providersAt).join('/');
    const extKind = segs.slice(providersAt + 1).join('/');
    const targetNameCount = providersAt - 1;
    const targetNames = names.slice(0, targetNameCount);
    const [ns, ...rest] = names.slice(targetNameCount);
    const scopeId = `${RESOURCE_GROUP_ID}${renderParts(providerPath(targetType, targetNames))}`;
    const type = `${renderParts(ns ?? [])}/${extKind}`;
    return { type, fullName: joinSegments(rest), id: idUnder(scopeId, type, [joinSegments(rest)]), scopeId };
  }
  let type = rawType;
  let fullName = normalizeParts(name);
  if (parent) {
    const qualified = segs.length >= 2 && segs[0].includes('.');
    type = qualified ? rawType : `${parent.type}/${rawType}`;
    const needed = typeSegments(type).length - 1;
    if (names.length < needed) fullName = normalizeParts([...parent.fullName, '/', ...name]);
  }
  const nameSegs = splitSegments(fullName);
  const explicitScope = scopeToId(scopeValue);
  const kind = kindOf(type);
  if (explicitScope !== undefined || kind === 'diagnosticSetting' || kind === 'roleAssignment') {
    const scopeId = explicitScope ?? parent?.id ?? RESOURCE_GROUP_ID;
    return { type, fullName, id: idUnder(scopeId, type, nameSegs), scopeId };
  }
  if (kind === 'roleDefinition') return { type, fullName, id: `/subscriptions/${SUBSCRIPTION_ID}${renderParts(providerPath(type, nameSegs))}` };
  return { type, fullName, id: `${RESOURCE_GROUP_ID}${renderParts(providerPath(type, nameSegs))}` };
}

function idUnder(scopeId: string, type: string, names: Part[][]): string {
  return `${scopeId}${renderParts(providerPath(type, names))}`;
}
