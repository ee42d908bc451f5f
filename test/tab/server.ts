/**
 * A stand-in for Azure DevOps around the results tab, on loopback only: a host page on http://127.0.0.1:P that
 * frames the bundled tab from http://localhost:P (another origin, as in Azure DevOps where extension content
 * comes from a CDN) and answers the SDK's handshake, and the attachment REST endpoints with bearer-token check
 * and CORS, answering from fixtures.
 *
 * The host side of the postMessage protocol is the SDK's own XDM module (azure-devops-extension-sdk/esm/XDM.js):
 * it registers DevOps.HostControl (initialHandshake → context, configuration, theme; getAccessToken; notify*;
 * resize) and DevOps.ServiceManager (getService → the location service), and proxies the functions in the
 * configuration (onBuildChanged) exactly as a real host does.
 */
import { readFileSync, existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Attachment } from './fixtures';

export const TOKEN = 'fake-host-token-for-tests';
export const PROJECT = { id: '6b5f1c2e-0000-4000-8000-000000000001', name: 'mlops <demo>' };
const BUILD_AREA_ID = '965220d5-5bb9-42cf-8d67-9b146df2a5a4';
const RELEASE_AREA_ID = 'efc2f575-36ef-48e9-b672-0c6fb4a48ac5';

export const THEMES: Record<string, Record<string, string>> = {
  light: {
    'background-color': 'rgba(255, 255, 255, 1)', 'text-primary-color': 'rgba(0, 0, 0, .9)', 'text-secondary-color': 'rgba(0, 0, 0, .55)',
    'palette-primary': '0, 120, 212', 'palette-neutral-4': '244, 244, 244', 'palette-neutral-8': '234, 234, 234', 'palette-neutral-20': '200, 200, 200',
    'callout-background-color': 'rgba(255, 255, 255, 1)',
  },
  dark: {
    'background-color': 'rgba(30, 30, 30, 1)', 'text-primary-color': 'rgba(255, 255, 255, .9)', 'text-secondary-color': 'rgba(255, 255, 255, .6)',
    'palette-primary': '55, 146, 227', 'palette-neutral-4': '41, 41, 41', 'palette-neutral-8': '51, 51, 51', 'palette-neutral-20': '77, 77, 77',
    'callout-background-color': 'rgba(37, 37, 38, 1)',
  },
};

export interface TabHost {
  port: number;
  /** The host page; `theme` and `kind` (build | release) as query parameters. */
  hostUrl(opts?: { theme?: 'light' | 'dark'; kind?: 'build' | 'release' }): string;
  tabOrigin: string;
  /** Every REST request: method, path, whether it carried the token. */
  requests: Array<{ method: string; path: string; authorized: boolean }>;
  close(): Promise<void>;
}

export const BUILD_ID = 42;
export const RELEASE = { releaseId: 7, environmentId: 12, attempt: 2, planId: 'c0ffee00-0000-4000-8000-000000000002' };

function hostPage(port: number): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>Fake Azure DevOps host</title>
<style>html,body{margin:0;height:100%}iframe{border:0;width:100%;height:100%;display:block}</style></head>
<body><script type="module" src="/host.js"></script></body></html>`;
}

function hostScript(port: number): string {
  const tabOrigin = `http://localhost:${port}`;
  const areas = { [BUILD_AREA_ID]: `http://127.0.0.1:${port}/demo-org/`, [RELEASE_AREA_ID]: `http://127.0.0.1:${port}/vsrm/demo-org/` };
  return `import { channelManager } from '/sdk/XDM.js';
const params = new URLSearchParams(location.search);
const themes = ${JSON.stringify(THEMES)};
const theme = themes[params.get('theme') || 'light'];
document.body.style.background = theme['background-color'];
const kind = params.get('kind') || 'build';
const iframe = document.createElement('iframe');
iframe.title = 'MLOps Gates';
document.body.appendChild(iframe);
const channel = channelManager.addChannel(iframe.contentWindow, ${JSON.stringify(tabOrigin)});
const initialConfig = kind === 'build'
  ? { onBuildChanged(cb) { cb({ id: ${BUILD_ID}, buildNumber: '20250602.3' }); } }
  : { releaseEnvironment: { releaseId: ${RELEASE.releaseId}, id: ${RELEASE.environmentId}, name: 'prod', deploySteps: [
      { attempt: 1, releaseDeployPhases: [{ runPlanId: 'old-plan' }] },
      { attempt: ${RELEASE.attempt}, releaseDeployPhases: [{ runPlanId: ${JSON.stringify(RELEASE.planId)} }] } ] } };
window.__host = { loaded: false, failed: undefined, resized: 0 };
channel.getObjectRegistry().register('DevOps.HostControl', {
  initialHandshake(options) {
    window.__host.options = options;
    return {
      context: {
        pageContext: { webContext: { project: ${JSON.stringify(PROJECT)}, team: { id: 't1', name: 'team' } }, globalization: { culture: 'en-US', theme: params.get('theme') || 'light' } },
        extension: { publisherId: 'mlops-gates-dev', extensionId: 'mlops-gates', version: '0.1.0' },
        user: { id: 'u1', name: 'tester', displayName: 'Tester', descriptor: 'aad.x', imageUrl: '' },
        host: { id: 'h1', name: 'demo-org', serviceVersion: 'fake', type: 4, isHosted: true },
      },
      initialConfig,
      contributionId: 'mlops-gates-dev.mlops-gates.' + (kind === 'build' ? 'build-results-tab' : 'release-environment-tab'),
      themeData: theme,
    };
  },
  notifyLoadSucceeded() { window.__host.loaded = true; },
  notifyLoadFailed(e) { window.__host.failed = String(e && e.message || e); },
  getAccessToken() { return { token: ${JSON.stringify(TOKEN)} }; },
  resize() { window.__host.resized++; },
});
channel.getObjectRegistry().register('DevOps.ServiceManager', {
  getService(id) {
    if (id !== 'ms.vss-features.location-service') throw new Error('no such service in the fake host: ' + id);
    const areas = ${JSON.stringify(areas)};
    return { getResourceAreaLocation(area) { if (!areas[area]) throw new Error('unknown area ' + area); return areas[area]; } };
  },
});
iframe.src = ${JSON.stringify(`${tabOrigin}/ext/index.html`)};
`;
}

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8' };

export async function startTabHost(distTab: string, attachments: Attachment[]): Promise<TabHost> {
  const requests: TabHost['requests'] = [];
  let port = 0;
  // The package exports only its entry; XDM.js sits in esm/ beside it.
  const xdm = readFileSync(path.join(path.dirname(require.resolve('azure-devops-extension-sdk')), 'esm', 'XDM.js'), 'utf8');
  const send = (res: ServerResponse, status: number, body: string | Buffer, type = 'application/json; charset=utf-8', extra: Record<string, string> = {}) => {
    res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store', ...extra });
    res.end(body);
  };
  const cors = { 'Access-Control-Allow-Origin': '', 'Access-Control-Allow-Headers': 'Authorization, Accept', 'Access-Control-Allow-Methods': 'GET' };
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
    const p = decodeURIComponent(url.pathname);
    const corsHeaders = { ...cors, 'Access-Control-Allow-Origin': `http://localhost:${port}` };
    if (p === '/host.html') return send(res, 200, hostPage(port), TYPES['.html']);
    if (p === '/host.js') return send(res, 200, hostScript(port), TYPES['.js']);
    if (p === '/sdk/XDM.js') return send(res, 200, xdm, TYPES['.js']);
    if (p.startsWith('/ext/')) {
      const file = path.join(distTab, path.basename(p));
      if (!existsSync(file)) return send(res, 404, 'not found', 'text/plain');
      return send(res, 200, readFileSync(file), TYPES[path.extname(file)] ?? 'application/octet-stream');
    }
    if (p === '/favicon.ico') return send(res, 204, '');
    if (req.method === 'OPTIONS') return send(res, 204, '', 'text/plain', corsHeaders);
    const authorized = req.headers.authorization === `Bearer ${TOKEN}`;
    requests.push({ method: req.method ?? '', path: url.pathname + url.search, authorized });
    if (!authorized) return send(res, 401, JSON.stringify({ message: 'no token' }), undefined, corsHeaders);
    const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    let m = new RegExp(`^/demo-org/${esc(PROJECT.id)}/_apis/build/builds/${BUILD_ID}/attachments/([^/]+)$`).exec(url.pathname);
    if (m) {
      const type = decodeURIComponent(m[1]);
      const value = attachments.filter((a) => a.type === type).map((a) => ({
        name: a.name,
        _links: { self: { href: `http://127.0.0.1:${port}/demo-org/${PROJECT.id}/_apis/build/builds/${BUILD_ID}/${a.timelineId}/${a.recordId}/attachments/${encodeURIComponent(a.type)}/${encodeURIComponent(a.name)}` } },
      }));
      return send(res, 200, JSON.stringify({ count: value.length, value }), undefined, corsHeaders);
    }
    m = new RegExp(`^/demo-org/${esc(PROJECT.id)}/_apis/build/builds/${BUILD_ID}/([^/]+)/([^/]+)/attachments/([^/]+)/([^/]+)$`).exec(url.pathname);
    if (m) {
      const [, timeline, record, type, name] = m.map((x) => decodeURIComponent(x));
      const a = attachments.find((x) => x.type === type && x.name === name && x.timelineId === timeline && x.recordId === record);
      return a ? send(res, 200, a.content, 'application/octet-stream', corsHeaders) : send(res, 404, '{}', undefined, corsHeaders);
    }
    const rel = `^/vsrm/demo-org/${esc(PROJECT.id)}/_apis/release/releases/${RELEASE.releaseId}/environments/${RELEASE.environmentId}/attempts/${RELEASE.attempt}/plan/${esc(RELEASE.planId)}`;
    m = new RegExp(`${rel}/attachments/([^/]+)$`).exec(url.pathname);
    if (m) {
      const type = decodeURIComponent(m[1]);
      const value = attachments.filter((a) => a.type === type).map((a) => ({ name: a.name, type: a.type, timelineId: a.timelineId, recordId: a.recordId, _links: {} }));
      return send(res, 200, JSON.stringify({ count: value.length, value }), undefined, corsHeaders);
    }
    m = new RegExp(`${rel}/timelines/([^/]+)/records/([^/]+)/attachments/([^/]+)/([^/]+)$`).exec(url.pathname);
    if (m) {
      const [, timeline, record, type, name] = m.map((x) => decodeURIComponent(x));
      const a = attachments.find((x) => x.type === type && x.name === name && x.timelineId === timeline && x.recordId === record);
      return a ? send(res, 200, a.content, 'application/octet-stream', corsHeaders) : send(res, 404, '{}', undefined, corsHeaders);
    }
    return send(res, 404, JSON.stringify({ message: `no route ${url.pathname}` }), undefined, corsHeaders);
  };
  const server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  return {
    port,
    tabOrigin: `http://localhost:${port}`,
    hostUrl: (o = {}) => `http://127.0.0.1:${port}/host.html?theme=${o.theme ?? 'light'}&kind=${o.kind ?? 'build'}`,
    requests,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
