/**
 * The attachment REST calls, made with fetch and the SDK's access token (azure-devops-extension-api, which
 * wraps them, is not a dependency of this project). URLs are built here, purely, so tests can pin them:
 *
 *   build    GET {build area}/{project}/_apis/build/builds/{buildId}/attachments/{type}            (list)
 *            GET the list item's _links.self.href                                                  (content)
 *   release  GET {release area}/{project}/_apis/release/releases/{r}/environments/{e}/attempts/{a}/plan/{plan}/attachments/{type}
 *            GET …/plan/{plan}/timelines/{timeline}/records/{record}/attachments/{type}/{name}
 *
 * The token is only ever sent to the origin of the area URL the host's location service named; a link in
 * an answer that points elsewhere is refused, not followed.
 */
export const API_VERSION = '7.1';
export const BUILD_AREA_ID = '965220d5-5bb9-42cf-8d67-9b146df2a5a4';
export const RELEASE_AREA_ID = 'efc2f575-36ef-48e9-b672-0c6fb4a48ac5';

export const ATTACHMENT_TYPES = {
  sarif: 'mlops-gates.sarif',
  evidence: 'mlops-gates.evidence',
  bundle: 'mlops-gates.evidence-bundle',
  explanation: 'mlops-gates.explanation',
  modelCard: 'mlops-gates.model-card',
} as const;

export type RunRef =
  | { kind: 'build'; project: string; buildId: number }
  | { kind: 'release'; project: string; releaseId: number; environmentId: number; attempt: number; planIds: string[] };

export interface AttachmentRef {
  type: string;
  name: string;
  url: string;
}

const seg = encodeURIComponent;

function base(areaUrl: string): string {
  return areaUrl.replace(/\/?$/, '/');
}

export function listUrls(areaUrl: string, run: RunRef, type: string): string[] {
  const b = base(areaUrl);
  if (run.kind === 'build') return [`${b}${seg(run.project)}/_apis/build/builds/${run.buildId}/attachments/${seg(type)}?api-version=${API_VERSION}`];
  return run.planIds.map(
    (plan) => `${b}${seg(run.project)}/_apis/release/releases/${run.releaseId}/environments/${run.environmentId}/attempts/${run.attempt}/plan/${seg(plan)}/attachments/${seg(type)}?api-version=${API_VERSION}`,
  );
}

type Json = Record<string, any>;

/**
 * The attachments a list answer names, with the URL of each one's content. `planId` is the release plan the
 * list was for. Items without a name or with a content link off the area's origin are dropped and reported.
 */
export function attachmentRefs(areaUrl: string, run: RunRef, type: string, answer: unknown, planId?: string): { refs: AttachmentRef[]; refused: string[] } {
  const origin = new URL(areaUrl).origin;
  const items: unknown[] = Array.isArray((answer as Json)?.value) ? (answer as Json).value : Array.isArray(answer) ? answer : [];
  const refs: AttachmentRef[] = [];
  const refused: string[] = [];
  for (const it of items) {
    const a = it as Json;
    const name = typeof a?.name === 'string' ? a.name : '';
    if (!name) continue;
    let url: string | undefined;
    if (run.kind === 'release' && typeof a.timelineId === 'string' && typeof a.recordId === 'string' && planId) {
      url = `${base(areaUrl)}${seg(run.project)}/_apis/release/releases/${run.releaseId}/environments/${run.environmentId}/attempts/${run.attempt}/plan/${seg(planId)}/timelines/${seg(a.timelineId)}/records/${seg(a.recordId)}/attachments/${seg(type)}/${seg(name)}?api-version=${API_VERSION}`;
    } else {
      const href = a._links?.self?.href;
      if (typeof href === 'string') {
        try {
          const u = new URL(href);
          if (u.origin === origin) url = u.href;
        } catch {
          url = undefined;
        }
      }
    }
    if (url) refs.push({ type, name, url });
    else refused.push(name);
  }
  return { refs, refused };
}

export class RestError extends Error {
  override name = 'RestError';
  constructor(message: string, readonly status?: number) {
    super(message);
  }
}

export type Fetcher = (url: string, init: RequestInit) => Promise<Response>;

export class AttachmentClient {
  constructor(
    private readonly areaUrl: string,
    private readonly run: RunRef,
    private readonly token: () => Promise<string>,
    private readonly fetcher: Fetcher = (u, i) => fetch(u, i),
  ) {}

  private async get(url: string, accept: string): Promise<Response> {
    if (new URL(url).origin !== new URL(this.areaUrl).origin) throw new RestError(`refused to send the access token to ${new URL(url).origin}`);
    const res = await this.fetcher(url, { headers: { Authorization: `Bearer ${await this.token()}`, Accept: accept }, credentials: 'omit' });
    if (!res.ok) {
      const hint = res.status === 401 || res.status === 403 ? ' (the extension needs the vso.build / vso.release scope: re-install it to grant them)' : '';
      throw new RestError(`HTTP ${res.status} from ${new URL(url).pathname}${hint}`, res.status);
    }
    return res;
  }

  async list(type: string): Promise<{ refs: AttachmentRef[]; refused: string[] }> {
    const urls = listUrls(this.areaUrl, this.run, type);
    const out: { refs: AttachmentRef[]; refused: string[] } = { refs: [], refused: [] };
    for (const [i, url] of urls.entries()) {
      const answer = await (await this.get(url, 'application/json')).json();
      const r = attachmentRefs(this.areaUrl, this.run, type, answer, this.run.kind === 'release' ? this.run.planIds[i] : undefined);
      out.refs.push(...r.refs);
      out.refused.push(...r.refused);
    }
    return out;
  }

  async text(ref: AttachmentRef): Promise<string> {
    return (await this.get(ref.url, 'application/octet-stream')).text();
  }
}

/** The release environment the host hands a release-environment tab: its latest attempt and that attempt's plans. */
export function releaseRun(project: string, env: unknown): RunRef | undefined {
  const e = env as Json;
  if (!e || typeof e.releaseId !== 'number' || typeof e.id !== 'number') return undefined;
  const steps: Json[] = Array.isArray(e.deploySteps) ? e.deploySteps : [];
  const last = steps.reduce<Json | undefined>((a, s) => (!a || (s?.attempt ?? 0) > (a.attempt ?? 0) ? s : a), undefined);
  const planIds = (Array.isArray(last?.releaseDeployPhases) ? last!.releaseDeployPhases : []).map((p: Json) => p?.runPlanId).filter((p: unknown): p is string => typeof p === 'string' && p !== '');
  return { kind: 'release', project, releaseId: e.releaseId, environmentId: e.id, attempt: typeof last?.attempt === 'number' ? last.attempt : 1, planIds };
}
