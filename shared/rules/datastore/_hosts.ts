import type { RuleContext } from '../types';

/**
 * Host suffixes that datastores and connections may point at when the policy sets no `allowedHosts`:
 * Azure Storage in the public, China and US Government clouds, Data Lake Gen1, OneLake, Azure Container
 * Registry, Azure DevOps (Repos and Artifacts feeds) and the Azure AI / data services a connection targets.
 * Deliberately absent: suffixes any customer can put their own content behind without an Azure resource
 * of the service (cloudapp.azure.com, azurewebsites.net, github.com, pypi.org).
 */
export const DEFAULT_ALLOWED_HOSTS: readonly string[] = [
  'core.windows.net',
  'core.chinacloudapi.cn',
  'core.usgovcloudapi.net',
  'azuredatalakestore.net',
  'fabric.microsoft.com',
  'azurecr.io',
  'azurecr.cn',
  'azurecr.us',
  'dev.azure.com',
  'visualstudio.com',
  'openai.azure.com',
  'cognitiveservices.azure.com',
  'services.ai.azure.com',
  'search.windows.net',
  'database.windows.net',
];

/**
 * Option `allowedHosts` (default DEFAULT_ALLOWED_HOSTS). A policy list replaces the default rather than
 * extending it, so a policy can narrow the allow-list to its own accounts and feeds.
 */
export function allowedHosts(ctx: RuleContext): readonly string[] {
  const v = ctx.options.allowedHosts;
  return Array.isArray(v) ? v.filter((h): h is string => typeof h === 'string') : DEFAULT_ALLOWED_HOSTS;
}

/** True when the policy file set `allowedHosts` itself (some rules approve nothing by default). */
export function hasExplicitAllowList(ctx: RuleContext): boolean {
  return Array.isArray(ctx.options.allowedHosts);
}

/**
 * The host part of a URL, a bare host, or an scp-style Git address (`git@host:org/repo`), lower-cased,
 * without scheme, credentials, port, path or trailing dot. Undefined when nothing host-like remains.
 */
export function hostOf(value: string): string | undefined {
  let s = value.trim().replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  s = s.split(/[/?#]/)[0];
  s = s.slice(s.lastIndexOf('@') + 1);
  s = s.replace(/:.*$/, '');
  s = s.toLowerCase().replace(/\.$/, '');
  return /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/.test(s) ? s : undefined;
}

/** A host matches a suffix when it equals it or ends with `.` plus it (policy.schema.json, allowedHosts). */
export function hostAllowed(host: string, suffixes: readonly string[]): boolean {
  const h = host.toLowerCase();
  return suffixes.some((raw) => {
    const s = raw.toLowerCase().replace(/^\./, '');
    return s !== '' && (h === s || h.endsWith(`.${s}`));
  });
}

/**
 * A URL-ish target made safe to print: user info (`https://user:token@host`) and query strings (SAS `?sig=…`)
 * can carry credentials, so they are replaced with `***`.
 */
export function redactTarget(value: string): string {
  return value.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@?#]*@/i, '$1***@').replace(/\?.*$/s, '?***');
}
