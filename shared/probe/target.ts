/** Where each probe connects, derived from a scoring URI. Pure. */
import { isIP } from 'node:net';

export interface ParsedTarget {
  https: boolean;
  /** Host to connect to: brackets stripped from IPv6 literals. */
  host: string;
  port: number;
  /** SNI name; undefined for IP literals (RFC 6066 forbids IP addresses in SNI). */
  servername?: string;
  /** Path plus query, as the request line carries it. */
  requestPath: string;
  /** Host header value (host, plus :port when not the scheme's default). */
  hostHeader: string;
  /** Port for the plain-HTTP probe: 80 when the URI uses https's default port, else the same port. */
  plainPort: number;
  /** The URI without user info or query, for messages. */
  display: string;
}

export type ParseResult = { ok: true; target: ParsedTarget } | { ok: false; reason: string };

export function parseScoringUri(uri: string): ParseResult {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return { ok: false, reason: 'The scoring URI is not a valid URL, so it could not be probed.' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { ok: false, reason: `The scoring URI uses ${url.protocol.replace(/:$/, '')}, not http(s), so it could not be probed.` };
  }
  const https = url.protocol === 'https:';
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (!host) return { ok: false, reason: 'The scoring URI has no host, so it could not be probed.' };
  const explicitPort = url.port === '' ? undefined : Number(url.port);
  const port = explicitPort ?? (https ? 443 : 80);
  return {
    ok: true,
    target: {
      https,
      host,
      port,
      servername: isIP(host) ? undefined : host,
      requestPath: `${url.pathname || '/'}${url.search}`,
      hostHeader: url.host,
      plainPort: explicitPort ?? 80,
      display: `${url.protocol}//${url.host}${url.pathname}`,
    },
  };
}

/** `host:port` for messages, IPv6 in brackets. */
export function hostPort(host: string, port: number): string {
  return `${isIP(host) === 6 ? `[${host}]` : host}:${port}`;
}
