/**
 * Pure: the blob service URL of a datastore's storage account. A datastore's `endpoint` is normally the cloud's
 * storage suffix (`core.windows.net`) and the account is a sub-domain: `https://<account>.blob.<suffix>`. When the
 * endpoint is an IP address or `localhost` (an emulator such as Azurite, or a private IP), there is no DNS name
 * per account, so the account is the first path segment instead: `https://<host[:port]>/<account>` — the rule
 * the Azure Storage SDKs apply to such hosts (IP-style, or path-style, addressing).
 */

const IPV4 = /^(\d|[1-9]\d|1\d\d|2[0-4]\d|25[0-5])(\.(\d|[1-9]\d|1\d\d|2[0-4]\d|25[0-5])){3}$/;

/** True for an IPv4 or IPv6 literal or `localhost`, with or without a port (`host` as in URL.host). */
export function isIpStyleHost(host: string): boolean {
  const h = host.trim().toLowerCase();
  if (h.startsWith('[')) return /^\[[0-9a-f:.]+\](:\d+)?$/.test(h);
  const name = h.replace(/:\d+$/, '');
  return name === 'localhost' || IPV4.test(name);
}

/**
 * The account's blob base URL, no trailing slash. `endpoint` may be a bare suffix or host[:port], or carry a
 * scheme (which is ignored: storage is always reached over HTTPS, so tokens never travel in clear text).
 * Throws a plain Error naming the datastore value when the endpoint is not host-shaped.
 */
export function accountBlobUrl(account: string, endpoint: string | undefined): string {
  const raw = (endpoint ?? '').trim() || 'core.windows.net';
  const host = raw.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/\/+$/, '').replace(/^\.+/, '');
  if (!/^(\[[0-9a-f:.]+\]|[a-z0-9]([a-z0-9.-]*[a-z0-9])?)(:\d{1,5})?$/i.test(host)) {
    throw new Error(`datastore endpoint '${raw}' is not a storage suffix or host[:port]`);
  }
  if (!/^[a-z0-9]{3,24}$/.test(account)) throw new Error(`storage account name '${account}' is not 3-24 lower-case letters and digits`);
  return isIpStyleHost(host) ? `https://${host.toLowerCase()}/${account}` : `https://${account}.blob.${host.toLowerCase()}`;
}
