/**
 * Everything the tab shows, read from the run's attachments. One bad attachment does not blank the page: its
 * problem is listed (and the verdict of its gate reads "unknown"), the rest still renders.
 */
import { sha256Hex, canonicalJson } from './canonical';
import { checkBundle, type BundleView } from './evidence';
import { assignRanks, type FindingRow } from './findings';
import { ATTACHMENT_TYPES, type AttachmentRef } from './rest';
import { parseSarif, type SarifRun } from './sarif';

export interface EvidenceRecordView {
  gate: string;
  gateVersion?: string;
  verdict: string;
  threshold?: string;
  counts: Record<string, number>;
  targets: string[];
  startedAt?: string;
  finishedAt?: string;
  error?: string;
  pipeline: { runUrl?: string; definition?: string; runId?: string };
  source: { repository?: string; commit?: string; branch?: string };
  /** SHA-256 of the record's canonical JSON: what a signed envelope's record must hash to. */
  digest: string;
}

export interface TabData {
  runs: SarifRun[];
  rows: FindingRow[];
  records: Map<string, EvidenceRecordView>;
  bundle?: BundleView;
  /** Other bundle attachments (earlier gates' copies) and how they relate to the one shown. */
  bundleNotes: string[];
  explanation?: { name: string; value: any };
  modelCard?: { name: string; value: unknown };
  problems: string[];
  attachmentCount: number;
  /** Milliseconds spent per phase, for the browser test and for diagnosing a slow tab. */
  timings: Record<string, number>;
}

export interface AttachmentSource {
  list(type: string): Promise<{ refs: AttachmentRef[]; refused: string[] }>;
  text(ref: AttachmentRef): Promise<string>;
}

/** Gate name from an attachment name: `SecurityGate.sarif`, `SecurityGate.evidence.json`, `X.evidence.bundle.json`. */
export function gateOf(name: string): string {
  return name.replace(/\.(sarif|evidence\.bundle\.json|evidence\.json|explanation\.json|model-card\.json|json)$/i, '') || name;
}

function recordView(value: any, digest: string): EvidenceRecordView {
  const o = (v: unknown) => (typeof v === 'object' && v !== null ? (v as Record<string, any>) : {});
  const s = (v: unknown) => (typeof v === 'string' ? v : undefined);
  return {
    gate: s(value.gate) ?? '?',
    gateVersion: s(value.gateVersion),
    verdict: value.verdict === 'passed' || value.verdict === 'failed' ? value.verdict : 'unknown',
    threshold: s(value.threshold),
    counts: Object.fromEntries(Object.entries(o(value.counts)).filter(([, n]) => typeof n === 'number')) as Record<string, number>,
    targets: Array.isArray(value.targets) ? value.targets.filter((t: unknown) => typeof t === 'string') : [],
    startedAt: s(value.startedAt),
    finishedAt: s(value.finishedAt),
    error: s(value.error),
    pipeline: { runUrl: s(o(value.pipeline).runUrl), definition: s(o(value.pipeline).definition), runId: s(o(value.pipeline).runId) },
    source: { repository: s(o(value.source).repository), commit: s(o(value.source).commit), branch: s(o(value.source).branch) },
    digest,
  };
}

async function listAll(src: AttachmentSource, type: string, problems: string[]): Promise<AttachmentRef[]> {
  try {
    const { refs, refused } = await src.list(type);
    for (const r of refused) problems.push(`Attachment ${r} (${type}) was skipped: its content link points outside this organization.`);
    return refs.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  } catch (e) {
    problems.push(`Could not list ${type} attachments: ${(e as Error).message}`);
    return [];
  }
}

async function read(src: AttachmentSource, ref: AttachmentRef, problems: string[]): Promise<string | undefined> {
  try {
    return await src.text(ref);
  } catch (e) {
    problems.push(`Could not read ${ref.name}: ${(e as Error).message}`);
    return undefined;
  }
}

function json(text: string, name: string, problems: string[]): any {
  try {
    return JSON.parse(text);
  } catch (e) {
    problems.push(`${name} is not JSON (${(e as Error).message}).`);
    return undefined;
  }
}

export async function loadTabData(src: AttachmentSource): Promise<TabData> {
  const problems: string[] = [];
  const [sarifs, evidences, bundles, explanations, cards] = await Promise.all(
    [ATTACHMENT_TYPES.sarif, ATTACHMENT_TYPES.evidence, ATTACHMENT_TYPES.bundle, ATTACHMENT_TYPES.explanation, ATTACHMENT_TYPES.modelCard].map((t) => listAll(src, t, problems)),
  );
  const data: TabData = { runs: [], rows: [], records: new Map(), bundleNotes: [], problems, attachmentCount: 0, timings: {} };
  data.attachmentCount = sarifs.length + evidences.length + bundles.length + explanations.length + cards.length;

  const tFetch = performance.now();
  const sarifTexts = await Promise.all(sarifs.map((r) => read(src, r, problems)));
  data.timings.sarifFetchMs = performance.now() - tFetch;
  const tParse = performance.now();
  sarifs.forEach((ref, i) => {
    const text = sarifTexts[i];
    if (text === undefined) return;
    try {
      const { run, rows } = parseSarif(text, ref.name, gateOf(ref.name), data.rows.length);
      data.runs.push(run);
      for (const r of rows) data.rows.push(r);
    } catch (e) {
      problems.push((e as Error).message);
    }
  });
  data.timings.sarifParseMs = performance.now() - tParse;

  const t0 = performance.now();
  assignRanks(data.rows);
  data.timings.rankMs = performance.now() - t0;

  for (const ref of evidences) {
    const text = await read(src, ref, problems);
    const value = text === undefined ? undefined : json(text, ref.name, problems);
    if (!value || typeof value !== 'object') continue;
    let digest = '';
    try {
      digest = await sha256Hex(canonicalJson(value));
    } catch (e) {
      problems.push(`${ref.name}: ${(e as Error).message}`);
    }
    const rec = recordView(value, digest);
    data.records.set(rec.gate !== '?' ? rec.gate : gateOf(ref.name), rec);
  }

  // Each sealing gate attaches the whole bundle as it stood after its own envelope: the longest is the latest.
  const digests = new Map([...data.records].map(([g, r]) => [g, r.digest]));
  const bundleTexts: Array<{ ref: AttachmentRef; text: string; count: number }> = [];
  for (const ref of bundles) {
    const text = await read(src, ref, problems);
    if (text === undefined) continue;
    const v = json(text, ref.name, problems);
    bundleTexts.push({ ref, text, count: Array.isArray(v?.envelopes) ? v.envelopes.length : -1 });
  }
  bundleTexts.sort((a, b) => b.count - a.count);
  if (bundleTexts.length) {
    const [latest, ...older] = bundleTexts;
    data.bundle = await checkBundle(latest.text, latest.ref.name, digests);
    const latestEnvs = (() => {
      try {
        return (JSON.parse(latest.text).envelopes as unknown[]).map((e) => canonicalJson(e));
      } catch {
        return [];
      }
    })();
    for (const o of older) {
      let prefix = false;
      try {
        const envs = (JSON.parse(o.text).envelopes as unknown[]).map((e) => canonicalJson(e));
        prefix = envs.every((e, i) => latestEnvs[i] === e);
      } catch {
        prefix = false;
      }
      data.bundleNotes.push(
        prefix
          ? `${o.ref.name}: an earlier state of ${latest.ref.name} (its ${o.count} envelope${o.count === 1 ? '' : 's'} open the latest bundle).`
          : `${o.ref.name} disagrees with ${latest.ref.name}: its envelopes are not the first ones of the latest bundle.`,
      );
      if (!prefix) problems.push(`Evidence bundles disagree: ${o.ref.name} is not an earlier state of ${latest.ref.name}.`);
    }
  }

  if (explanations.length) {
    const ref = explanations[explanations.length - 1];
    const text = await read(src, ref, problems);
    const v = text === undefined ? undefined : json(text, ref.name, problems);
    if (v && v.schema === 'mlops-gates/explanation@1') data.explanation = { name: ref.name, value: v };
    else if (v) problems.push(`${ref.name} is not an explanation (schema mlops-gates/explanation@1).`);
  }
  if (cards.length) {
    const ref = cards[cards.length - 1];
    const text = await read(src, ref, problems);
    const v = text === undefined ? undefined : json(text, ref.name, problems);
    if (v !== undefined) data.modelCard = { name: ref.name, value: v };
  }
  return data;
}
