/**
 * Entry of the results tab (build results view and release environment tab). Talks to the Azure DevOps host
 * through azure-devops-extension-sdk: the handshake gives the project, the theme and, through the tab's
 * configuration, the build (onBuildChanged) or the release environment; the location service names the REST
 * area URLs; getAccessToken() authorises the attachment calls (rest.ts).
 */
import * as SDK from 'azure-devops-extension-sdk';
import { loadTabData } from './data';
import { h, clear } from './dom';
import { AttachmentClient, BUILD_AREA_ID, RELEASE_AREA_ID, releaseRun, type RunRef } from './rest';
import { applyThemeMode } from './theme';
import { renderPage, type FindingsController } from './view';

/** Registered object of the release environment tab (vss-extension.json `registeredObjectId`). */
export const RELEASE_OBJECT_ID = 'mlops-gates-release-environment';

const root = document.getElementById('app') as HTMLElement;
let current = '';

function message(title: string, text: string, kind: 'info' | 'error' = 'info'): void {
  clear(root);
  root.appendChild(h('div', { class: `message ${kind}`, role: kind === 'error' ? 'alert' : 'status' }, h('h1', null, title), h('p', null, text)));
}

async function areaUrl(areaId: string): Promise<string> {
  const location = await SDK.getService<{ getResourceAreaLocation(id: string): Promise<string> }>('ms.vss-features.location-service');
  const url = await location.getResourceAreaLocation(areaId);
  if (typeof url !== 'string' || !/^https?:\/\//.test(url)) throw new Error(`the host's location service gave no URL for REST area ${areaId}`);
  return url;
}

async function show(run: RunRef): Promise<void> {
  const key = JSON.stringify(run);
  if (key === current) return;
  current = key;
  message('MLOps Gates', 'Reading the gates\u2019 attachments…');
  try {
    const t0 = performance.now();
    const url = await areaUrl(run.kind === 'build' ? BUILD_AREA_ID : RELEASE_AREA_ID);
    const client = new AttachmentClient(url, run, () => SDK.getAccessToken());
    const data = await loadTabData(client);
    if (key !== current) return; // a newer build or release arrived meanwhile
    const label = run.kind === 'build' ? `Build ${run.buildId}` : `Release ${run.releaseId}, stage ${run.environmentId}, attempt ${run.attempt}`;
    const t1 = performance.now();
    const findings: FindingsController | undefined = renderPage(root, data, label);
    const timings = { ...data.timings, loadMs: t1 - t0, renderMs: performance.now() - t1 };
    (window as unknown as { __mlopsGatesTab?: unknown }).__mlopsGatesTab = { findings, timings, rows: data.rows.length, problems: data.problems };
    document.body.dataset.state = 'ready';
  } catch (e) {
    message('MLOps Gates could not read this run', (e as Error).message, 'error');
    document.body.dataset.state = 'error';
  }
}

async function start(): Promise<void> {
  // Before init: the host may call updateContext as soon as the handshake is done.
  SDK.register(RELEASE_OBJECT_ID, {
    updateContext: (ctx: { releaseEnvironment?: unknown }) => {
      const run = releaseRun(SDK.getWebContext().project.id, ctx?.releaseEnvironment ?? ctx);
      if (run) void show(run);
    },
  });
  window.addEventListener('themeApplied', () => applyThemeMode());
  await SDK.init({ loaded: false, applyTheme: true });
  await SDK.ready();
  applyThemeMode();
  const project = SDK.getWebContext().project;
  const config = SDK.getConfiguration() as { onBuildChanged?: (cb: (b: { id?: number }) => void) => void; releaseEnvironment?: unknown };
  await SDK.notifyLoadSucceeded();
  if (typeof config.onBuildChanged === 'function') {
    config.onBuildChanged((build) => {
      if (typeof build?.id === 'number') void show({ kind: 'build', project: project.id || project.name, buildId: build.id });
    });
  } else if (config.releaseEnvironment) {
    const run = releaseRun(project.id || project.name, config.releaseEnvironment);
    if (run) await show(run);
    else message('MLOps Gates', 'This release stage has no deployment yet.');
  } else {
    message('MLOps Gates', 'Open this tab from a pipeline run or a release stage.');
  }
}

start().catch((e: unknown) => message('MLOps Gates could not start', e instanceof Error ? e.message : String(e), 'error'));
