/** Links to resources in the Azure portal. Sovereign clouds have their own portal host, hence the base argument. */

export const PUBLIC_PORTAL = 'https://portal.azure.com';

/** `https://portal.azure.com/#@/resource<id>`; each id segment is percent-encoded so odd names cannot break the URL. */
export function portalUrl(resourceId: string, portalBaseUrl: string = PUBLIC_PORTAL): string {
  if (!/^https:\/\/[A-Za-z0-9.-]+(:\d+)?\/?$/.test(portalBaseUrl)) {
    throw new TypeError(`portal base URL must be an https origin such as ${PUBLIC_PORTAL}, got "${portalBaseUrl}"`);
  }
  const base = portalBaseUrl.replace(/\/$/, '');
  const path = resourceId
    .split('/')
    .map((seg) => encodeURIComponent(seg).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`))
    .join('/');
  return `${base}/#@/resource${path.startsWith('/') ? '' : '/'}${path}`;
}

/** The last segment of an ARM id: the resource's own name. */
export function shortName(resourceId: string): string {
  const parts = resourceId.split('/').filter(Boolean);
  return parts[parts.length - 1] ?? resourceId;
}

const PORTAL_BY_MANAGEMENT_HOST: Record<string, string> = {
  'management.azure.com': PUBLIC_PORTAL,
  'management.chinacloudapi.cn': 'https://portal.azure.cn',
  'management.usgovcloudapi.net': 'https://portal.azure.us',
};

/**
 * The portal of the cloud a management URL belongs to; null for clouds whose portal is not known (Azure
 * Stack, private clouds), where a link to the public portal would mislead.
 */
export function portalForManagementUrl(managementUrl: string): string | null {
  try {
    return PORTAL_BY_MANAGEMENT_HOST[new URL(managementUrl).hostname.toLowerCase()] ?? null;
  } catch {
    return null;
  }
}
