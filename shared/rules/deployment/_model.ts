/**
 * Where a deployment's model comes from, read from its asset reference: online deployments carry a string in
 * `properties.model`, batch deployments an `IdAssetReference` (`properties.model.assetId`). Accepted forms:
 * - `azureml://registries/<r>/models/<n>/versions/<v>` (or `/labels/<l>`), and the ARM id of a registry model;
 * - the ARM id `/subscriptions/…/workspaces/<w>/models/<n>/versions/<v>`, `azureml://subscriptions/…/workspaces/<w>/models/…`,
 *   `azureml://locations/<loc>/workspaces/<guid>/models/…` and the short form `azureml:<n>:<v>` / `azureml:<n>@<label>`.
 * Anything else (a datastore path, a job output, a storage URL, a local path) is not a registered model.
 */
import type { RuleContext, RuleOutcome, Severity } from '../types';
import { str } from '../_util';

export type ModelSource =
  | { kind: 'registry'; registry: string; name: string }
  | { kind: 'workspace'; name: string; /** Lower-case ARM id of the owning workspace, when the reference says. */ workspaceId?: string }
  | { kind: 'unregistered'; what: string };

const VERSION_OR_LABEL = '(?:/(?:versions|labels)/[^/]+)?/?$';
const REGISTRY_URI = new RegExp(`^azureml://registries/([^/]+)/models/([^/]+)${VERSION_OR_LABEL}`, 'iu');
const REGISTRY_ARM = new RegExp(`^/subscriptions/[^/]+/resourcegroups/[^/]+/providers/microsoft\\.machinelearningservices/registries/([^/]+)/models/([^/]+)${VERSION_OR_LABEL}`, 'iu');
const WORKSPACE_ARM = new RegExp(`^(/subscriptions/[^/]+/resourcegroups/[^/]+/providers/microsoft\\.machinelearningservices/workspaces/[^/]+)/models/([^/]+)${VERSION_OR_LABEL}`, 'iu');
const WORKSPACE_URI = new RegExp(`^azureml://subscriptions/([^/]+)/resourcegroups/([^/]+)/(?:providers/microsoft\\.machinelearningservices/)?workspaces/([^/]+)/models/([^/]+)${VERSION_OR_LABEL}`, 'iu');
const LOCATION_URI = new RegExp(`^azureml://locations/[^/]+/workspaces/[^/]+/models/([^/]+)${VERSION_OR_LABEL}`, 'iu');
const SHORT = /^azureml:([A-Za-z0-9][A-Za-z0-9_.-]*)(?:[:@][A-Za-z0-9_.-]+)?$/u;

export function modelSource(ref: string): ModelSource {
  const r = ref.trim();
  let m = REGISTRY_URI.exec(r) ?? REGISTRY_ARM.exec(r);
  if (m) return { kind: 'registry', registry: m[1], name: m[2] };
  if ((m = WORKSPACE_ARM.exec(r))) return { kind: 'workspace', name: m[2], workspaceId: m[1].toLowerCase() };
  if ((m = WORKSPACE_URI.exec(r))) {
    return { kind: 'workspace', name: m[4], workspaceId: `/subscriptions/${m[1]}/resourcegroups/${m[2]}/providers/microsoft.machinelearningservices/workspaces/${m[3]}`.toLowerCase() };
  }
  if ((m = LOCATION_URI.exec(r) ?? SHORT.exec(r))) return { kind: 'workspace', name: m[1] };
  const l = r.toLowerCase();
  if (l.startsWith('azureml://datastores/')) return { kind: 'unregistered', what: 'a datastore path' };
  if (l.startsWith('azureml://jobs/')) return { kind: 'unregistered', what: 'a job output' };
  if (/^[a-z][a-z0-9+.-]*:\/\//u.test(l)) return { kind: 'unregistered', what: 'a storage or web URL' };
  return { kind: 'unregistered', what: 'a path or name that is not a model asset id' };
}

/**
 * The verdict on a model reference at `path`: registered in this workspace, or in a registry the policy allows
 * (`allowedModelRegistries`; unset allows any registry).
 */
export function provenanceOutcome(ref: string, path: string, ctx: RuleContext, severity: Severity): RuleOutcome {
  const src = modelSource(ref);
  if (src.kind === 'unregistered') {
    return { status: 'fail', path, severity, message: `The model is ${src.what} (${JSON.stringify(ref)}), not a registered model version, so what is deployed has no reviewed lineage.` };
  }
  if (src.kind === 'registry') {
    const allowed = ctx.options.allowedModelRegistries;
    if (!Array.isArray(allowed) || allowed.some((a) => typeof a === 'string' && a.toLowerCase() === src.registry.toLowerCase())) return { status: 'pass' };
    return { status: 'fail', path, severity, message: `The model "${src.name}" comes from registry "${src.registry}", which is not in allowedModelRegistries (${allowed.join(', ') || 'empty'}).` };
  }
  const ws = str(ctx.inventory.workspace.id)?.toLowerCase();
  if (src.workspaceId && ws && src.workspaceId !== ws) {
    return { status: 'fail', path, severity, message: `The model "${src.name}" is registered in another workspace (${src.workspaceId}), not in this one or an allowed registry.` };
  }
  return { status: 'pass' };
}
