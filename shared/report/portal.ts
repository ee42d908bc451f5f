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
