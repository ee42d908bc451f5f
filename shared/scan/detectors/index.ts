/**
 * The secret detectors of SecurityGate's content scan, and two helpers for callers:
 * - `resolveOverlaps`: one finding per secret when two detectors report overlapping ranges (a storage key both
 *   as an identifiable key and inside AccountKey=, a PAT in a URL ...): the most confident match wins
 *   (verified > context > heuristic), then the more severe, then the longer.
 * - `scanWithDetectors`: anchor prefilter + every detector + resolveOverlaps, for the CLI, tests and tools
 *   that do not have their own engine.
 */
import type { RuleMeta, Severity } from '../../rules/types';
import { severityRank } from '../../rules/types';
import type { Detector, DetectorContext, SecretMatch } from '../types';
import { keywords, type KeywordSet } from './_keywords';
import { anthropicDetector } from './anthropic';
import { awsDetector } from './aws';
import { azureAccountKeyDetector } from './azureAccountKeys';
import { azureCaskDetector } from './azureCask';
import { azureCognitiveLegacyDetector } from './azureCognitiveLegacy';
import { azureConnectionStringDetector } from './azureConnectionStrings';
import { azureDatabricksDetector } from './azureDatabricks';
import { azureDataFactoryDetector } from './azureDataFactory';
import { azureDevOpsLegacyPatDetector } from './azureDevOpsLegacy';
import { azureEntraDetector } from './azureEntra';
import { AZURE_IDENTIFIABLE_DETECTORS } from './azureIdentifiable';
import { azureSasDetector } from './azureSas';
import { gcpDetector } from './gcp';
import { genericSecretDetector } from './generic';
import { githubDetector } from './github';
import { gitlabDetector } from './gitlab';
import { huggingFaceDetector } from './huggingface';
import { jwtDetector } from './jwt';
import { mlCliDetector, mlEnvDetector, mlSdkCredentialDetector } from './mlCredentials';
import { npmDetector } from './npm';
import { openAiDetector } from './openai';
import { privateKeyDetector } from './privateKeys';
import { pypiDetector } from './pypi';
import { sendGridDetector } from './sendgrid';
import { slackDetector } from './slack';
import { stripeDetector } from './stripe';
import { twilioDetector } from './twilio';
import { urlCredentialsDetector } from './urlCredentials';

export const ALL_DETECTORS: Detector[] = [
  ...AZURE_IDENTIFIABLE_DETECTORS,
  azureCaskDetector,
  azureEntraDetector,
  azureDevOpsLegacyPatDetector,
  azureDatabricksDetector,
  azureDataFactoryDetector,
  azureAccountKeyDetector,
  azureConnectionStringDetector,
  azureSasDetector,
  azureCognitiveLegacyDetector,
  privateKeyDetector,
  awsDetector,
  gcpDetector,
  githubDetector,
  gitlabDetector,
  slackDetector,
  stripeDetector,
  npmDetector,
  pypiDetector,
  huggingFaceDetector,
  openAiDetector,
  anthropicDetector,
  jwtDetector,
  twilioDetector,
  sendGridDetector,
  mlSdkCredentialDetector,
  mlCliDetector,
  mlEnvDetector,
  urlCredentialsDetector,
  genericSecretDetector,
];

/** Metadata of every rule id the detectors can emit (each detector's meta and its variants). */
export function detectorRules(detectors: readonly Detector[] = ALL_DETECTORS): RuleMeta[] {
  return detectors.flatMap((d) => [d.meta, ...(d.variants ?? [])]);
}

const RULES_BY_ID: ReadonlyMap<string, RuleMeta> = new Map(detectorRules().map((r) => [r.id, r]));

const CONFIDENCE_RANK: Record<SecretMatch['confidence'], number> = { verified: 3, context: 2, heuristic: 1 };

/** Effective severity of a match: its override, else the rule's. */
export function matchSeverity(m: SecretMatch, rules: ReadonlyMap<string, RuleMeta>): Severity {
  return m.severity ?? rules.get(m.ruleId)?.severity ?? 'medium';
}

function better(a: SecretMatch, b: SecretMatch, rules: ReadonlyMap<string, RuleMeta>): boolean {
  const c = CONFIDENCE_RANK[a.confidence] - CONFIDENCE_RANK[b.confidence];
  if (c !== 0) return c > 0;
  const s = severityRank(matchSeverity(a, rules)) - severityRank(matchSeverity(b, rules));
  if (s !== 0) return s > 0;
  return a.end - a.start > b.end - b.start;
}

/**
 * Keeps one match per overlapping group, the best by confidence, severity, then length. Linear after sorting:
 * each match is compared with the last kept one only.
 */
export function resolveOverlaps(matches: readonly SecretMatch[], rules: ReadonlyMap<string, RuleMeta> = RULES_BY_ID): SecretMatch[] {
  const sorted = [...matches].sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: SecretMatch[] = [];
  for (const m of sorted) {
    const last = kept[kept.length - 1];
    if (last && m.start < last.end) {
      if (better(m, last, rules)) kept[kept.length - 1] = m;
      continue;
    }
    kept.push(m);
  }
  return kept;
}

/**
 * The anchors of every detector, registered with the shared keyword pass: one Aho-Corasick pass per text
 * (case-folded) serves the prefilter of all detectors and the keyword detectors alike. For case-sensitive
 * anchors a folded hit is confirmed with indexOf, which only runs on the rare texts that have one.
 */
const ANCHOR_SETS = new Map<Detector, KeywordSet>(ALL_DETECTORS.map((d) => [d, keywords(d.anchors)]));

/** True when the text holds one of the detector's anchors (the scanner core's prefilter does the same). */
export function hasAnchor(text: string, d: Detector): boolean {
  const set = ANCHOR_SETS.get(d);
  if (set && !set.any(text)) return false;
  if (!d.caseInsensitiveAnchors) return d.anchors.some((a) => text.includes(a));
  if (set) return true;
  const lower = text.toLowerCase();
  return d.anchors.some((a) => lower.includes(a.toLowerCase()));
}

/** Every detector whose anchor is present, then resolveOverlaps. */
export function scanWithDetectors(text: string, ctx: DetectorContext, detectors: readonly Detector[] = ALL_DETECTORS): SecretMatch[] {
  const all: SecretMatch[] = [];
  for (const d of detectors) if (hasAnchor(text, d)) all.push(...d.scan(text, ctx));
  return resolveOverlaps(all);
}
