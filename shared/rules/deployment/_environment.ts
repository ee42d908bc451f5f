/**
 * Is a deployment's environment pinned? `properties.environmentId` must name one version: an ARM id or azureml://
 * URI ending in `/environments/<n>/versions/<v>`, or the short form `azureml:<n>:<v>`; a label (`@latest`,
 * `/labels/…`), a bare name or version "latest" floats.
 *
 * The REST deployment carries no image (the CLI turns an inline `environment: image:` into an anonymous
 * environment version, CliV2AnonymousEnvironment). The image lives on the environment version resource: when the
 * inventory carries it (`environmentVersions`, collected for anonymous environments), the image is judged too:
 * pinned by @sha256 digest, or from the workspace's registry or a trusted one.
 */
import type { ArmResource, RuleContext, RuleOutcome, WorkspaceInventory } from '../types';
import { get, str } from '../_util';

const PATH = 'properties.environmentId';

export interface EnvironmentRef {
  name: string;
  version?: string;
  label?: string;
}

const LONG = /\/environments\/([^/]+)(?:\/versions\/([^/]+)|\/labels\/([^/]+))?\/?$/iu;
const SHORT = /^azureml:([^:@/]+)(?::([^:@/]+)|@([^:@/]+))?$/iu;

/** The environment a reference names, or undefined when it is not an environment reference at all. */
export function environmentRef(id: string): EnvironmentRef | undefined {
  const v = id.trim();
  const long = /^(\/subscriptions\/|azureml:\/\/)/iu.test(v) ? LONG.exec(v) : null;
  const m = long ?? SHORT.exec(v);
  if (!m) return undefined;
  return { name: m[1], ...(m[2] ? { version: m[2] } : {}), ...(m[3] ? { label: m[3] } : {}) };
}

export function isPinned(ref: EnvironmentRef): boolean {
  return ref.version !== undefined && ref.version.toLowerCase() !== 'latest' && ref.label === undefined;
}

/** Host of an image reference; Docker Hub when the first segment is not a host (`python:3.11`, `library/x`). */
export function imageHost(image: string): string {
  const first = image.split('/')[0];
  const isHost = image.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  return (isHost ? first : 'docker.io').toLowerCase();
}

/** The workspace ACR's login server: `properties.loginServer`, else `<name>.azurecr.io`. */
function workspaceRegistryHost(inv: WorkspaceInventory): string | undefined {
  const acr = inv.containerRegistry;
  if (!acr) return undefined;
  const login = str(get(acr, 'properties.loginServer'));
  if (login) return login.toLowerCase();
  return acr.name ? `${acr.name.toLowerCase()}.azurecr.io` : undefined;
}

/** Why an image is not trustworthy as deployed, or undefined when it is pinned or from a trusted registry. */
export function imageProblem(image: string, ctx: RuleContext): string | undefined {
  if (/@sha256:[0-9a-f]{64}$/iu.test(image.trim())) return undefined;
  const host = imageHost(image.trim());
  if (host === workspaceRegistryHost(ctx.inventory)) return undefined;
  const trusted = ctx.options.trustedImageRegistries;
  if (Array.isArray(trusted) && trusted.some((t) => typeof t === 'string' && t.toLowerCase() === host)) return undefined;
  return `image ${JSON.stringify(image)} is neither pinned by @sha256 digest nor from the workspace registry or a trusted registry (${host})`;
}

/** Outcomes for a deployment's environment: skip when it names none (no-code MLflow deployments). */
export function environmentOutcomes(dep: ArmResource, ctx: RuleContext): RuleOutcome | RuleOutcome[] {
  const id = str(get(dep, PATH));
  if (!id) return { status: 'skip', reason: 'the deployment names no environment (a no-code MLflow deployment: the service picks it)' };
  const ref = environmentRef(id);
  if (!ref) return { status: 'fail', path: PATH, message: `environmentId ${JSON.stringify(id)} is not an environment asset reference.` };
  if (!isPinned(ref)) {
    const floating = ref.label ? `label "${ref.label}"` : ref.version ? `version "${ref.version}"` : 'no version';
    return { status: 'fail', path: PATH, message: `The environment "${ref.name}" is referenced by ${floating}, so a later build can change what runs without a new deployment.` };
  }
  const version = (ctx.inventory.environmentVersions ?? []).find((e) => e.id.toLowerCase() === id.toLowerCase());
  const image = version ? str(get(version, 'properties.image')) : undefined;
  const problem = image ? imageProblem(image, ctx) : undefined;
  if (problem) return { status: 'fail', severity: 'medium', path: PATH, message: `The environment "${ref.name}" version ${ref.version}: ${problem}.` };
  return { status: 'pass' };
}
