/**
 * The attachments of one pipeline run, generated with the project's own writers (SARIF, evidence records, a
 * sealed evidence bundle) so the tab is tested against what the tasks really upload. Includes hostile text in
 * file names, messages, waiver reasons and the model card; the signing key is generated per run.
 */
import { generateKeyPairSync } from 'node:crypto';
import { addEnvelope, emptyBundle, serializeBundle } from '../../shared/evidence/bundle';
import { ed25519SignerFromSecret } from '../../shared/evidence/keys';
import { sealEvidence } from '../../shared/evidence/seal';
import type { ExplanationResult } from '../../shared/explain/types';
import { buildEvidence, serializeEvidence, type EvidenceRecord } from '../../shared/report/evidence';
import { toSarif } from '../../shared/report/sarif';
import type { PolicyOutcome } from '../../shared/rules/policy';
import { MONITORING_RULES } from '../../shared/monitoring/rules';
import { PROBE_RULES } from '../../shared/probe';
import { ALL_RULES } from '../../shared/rules/catalog';
import type { Finding, RuleMeta, Severity } from '../../shared/rules/types';
import { defaultPlugins, pluginRules } from '../../shared/scan/plugins';

export const HOSTILE = '<img src=x onerror=alert(1)>';
export const WS = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-ml/providers/Microsoft.MachineLearningServices/workspaces/ws-prod';

export interface Attachment {
  type: string;
  name: string;
  /** Timeline and record ids, as the agent would upload them from a job step. */
  timelineId: string;
  recordId: string;
  content: string;
}

const SEVS: Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

/** The product's own metadata (title, rationale, remediation, links) for a workspace or scan rule id. */
const KNOWN_RULES = new Map<string, RuleMeta>([...ALL_RULES, ...PROBE_RULES, ...MONITORING_RULES, ...pluginRules(defaultPlugins())].map((r) => [r.id, r]));

export function fixtureRule(id: string): RuleMeta {
  const r = KNOWN_RULES.get(id);
  if (!r) throw new Error(`fixture names an unknown rule ${id}`);
  return { id: r.id, title: r.title, severity: r.severity, rationale: r.rationale, remediation: r.remediation, references: r.references };
}

function outcome(findings: Finding[], threshold: 'high' | 'medium' = 'high'): PolicyOutcome {
  const active = findings.filter((f) => !f.waiver);
  const waived = findings.filter((f) => f.waiver);
  const counts = { critical: 0, high: 0, medium: 0, low: 0, info: 0 } as Record<Severity, number>;
  for (const f of active) counts[f.severity]++;
  const failing = active.some((f) => SEVS.indexOf(f.severity) <= SEVS.indexOf(threshold));
  return { active, waived, warnings: [], threshold, verdict: failing ? 'failed' : 'passed', counts };
}

const START = new Date('2025-06-02T09:00:00Z');
const END = new Date('2025-06-02T09:04:00Z');
const CONTEXT = {
  pipeline: { runUrl: 'https://dev.azure.com/demo-org/mlops/_build/results?buildId=42', definition: 'model-ci', runId: '20250602.3' },
  source: { repository: 'https://dev.azure.com/demo-org/mlops/_git/credit-model', commit: '3f2c9a1d5e7b8c0f4a6d2e1b9c8a7f6e5d4c3b2a', branch: 'refs/heads/main' },
};

/** SecurityGate: `count` findings, ARM and file, every 7th waived; hostile text in a few. */
export function securityGate(count: number): { sarif: string; record: EvidenceRecord; findings: Finding[] } {
  const rules = ['AML-WS-001', 'AML-WS-004', 'AML-CMP-003', 'SEC-AZ-STORAGE-001', 'AML-MODEL-PICKLE-001', 'AML-DS-002', 'AML-WS-010'].map(fixtureRule);
  const findings: Finding[] = [];
  for (let i = 0; i < count; i++) {
    const r = rules[i % rules.length];
    const isFile = r.id.startsWith('SEC-') || r.id.startsWith('AML-MODEL-');
    const hostile = i % 997 === 3;
    const file = hostile ? `notebooks/${HOSTILE}/train_${i}.py` : `src/pipeline/module_${i % 300}/step_${i}.py`;
    const resource = `${WS}/computes/cpu-cluster-${i % 50}`;
    findings.push({
      ruleId: r.id,
      title: r.title,
      severity: SEVS[(i * 7 + (i >> 3)) % 5],
      resourceKind: isFile ? 'file' : 'compute',
      resourceId: isFile ? file : resource,
      message: hostile ? `Found ${HOSTILE} <script>alert(2)</script> in ${file}` : `${r.title} is not satisfied (case ${i}).`,
      ...(isFile ? { location: { file, line: 10 + (i % 90), column: 5 }, preview: 'AKIA…(sha256:1a2b)' } : { path: 'properties.publicNetworkAccess' }),
      fingerprint: `fp-${i.toString(16).padStart(8, '0')}`,
      ...(i % 7 === 3 ? { waiver: { owner: hostile ? HOSTILE : 'team-ml@contoso.com', reason: `Accepted risk ${i}: ${i % 14 === 3 ? HOSTILE : 'tracked in ADO 1234'}`, expires: '2025-12-31', expiresSoon: false } } : {}),
    } as Finding);
  }
  const o = outcome(findings);
  const sarif = JSON.stringify(toSarif({ tool: { name: 'MLOps Gates SecurityGate', version: '0.1.0', informationUri: 'https://example.invalid/mlops-gates' }, rules, findings, runStartedAt: START, runFinishedAt: END, invocationSucceeded: true }), null, 2);
  const record = buildEvidence({ gate: 'SecurityGate', gateVersion: '0.1.0', outcome: o, inputs: { workspaceName: 'ws-prod', failOnSeverity: 'high' }, targets: [WS], startedAt: START, finishedAt: END, ...CONTEXT, policy: {} });
  return { sarif, record, findings };
}

/** EndpointHardeningCheck: three online endpoints and a batch one; one clean; probe and monitoring findings. */
export function endpointCheck(): { sarif: string; record: EvidenceRecord } {
  const ep = (n: string) => `${WS}/onlineEndpoints/${n}`;
  const rules = ['AML-OE-001', 'AML-OE-003', 'AML-OD-002', 'AML-BE-001', 'AML-PRB-001', 'AML-PRB-004', 'AML-MON-002'].map(fixtureRule);
  const f = (ruleId: string, severity: Severity, resourceId: string, message: string, waived = false): Finding => ({
    ruleId, title: rules.find((r) => r.id === ruleId)!.title, severity, resourceKind: 'onlineEndpoint' as Finding['resourceKind'], resourceId, message, fingerprint: `ep-${ruleId}-${resourceId.length}`,
    ...(waived ? { waiver: { owner: 'sre@contoso.com', reason: 'Internal only', expires: '2025-09-30', expiresSoon: false } } : {}),
  });
  const findings: Finding[] = [
    f('AML-OE-001', 'high', ep('credit-score'), 'Endpoint credit-score allows anonymous auth_mode.'),
    f('AML-PRB-001', 'critical', ep('credit-score'), `Scoring URI answered 200 to an anonymous POST ${HOSTILE}.`),
    f('AML-OD-002', 'low', `${ep('credit-score')}/deployments/blue`, 'Deployment blue has no Application Insights.'),
    f('AML-OE-003', 'medium', ep('fraud-detect'), 'Endpoint fraud-detect is reachable from the internet.', true),
    f('AML-PRB-004', 'medium', ep('fraud-detect'), 'Certificate expires in 12 days.'),
    f('AML-BE-001', 'medium', `${WS}/batchEndpoints/nightly-batch`, 'Batch endpoint nightly-batch uses keys.'),
    f('AML-MON-002', 'high', WS, 'Scoring keys listed by an unknown identity 3 times in 7 days.'),
  ];
  const o = outcome(findings);
  const sarif = JSON.stringify(toSarif({ tool: { name: 'MLOps Gates EndpointHardeningCheck', version: '0.1.0', informationUri: 'https://example.invalid/mlops-gates' }, rules, findings, runStartedAt: START, runFinishedAt: END, invocationSucceeded: true }), null, 2);
  const targets = [WS, ep('credit-score'), `${ep('credit-score')}/deployments/blue`, ep('fraud-detect'), ep('churn-v2'), `${WS}/batchEndpoints/nightly-batch`];
  const record = buildEvidence({ gate: 'EndpointHardeningCheck', gateVersion: '0.1.0', outcome: o, inputs: { workspaceName: 'ws-prod' }, targets, startedAt: START, finishedAt: new Date(END.getTime() + 60_000), ...CONTEXT });
  return { sarif, record };
}

export function explanation(): ExplanationResult {
  const featureNames = ['income', 'debt_ratio', 'age', 'open_accounts', `zip_${HOSTILE}`];
  const values = Array.from({ length: 20 }, (_, r) => featureNames.map((_, f) => Math.sin(r * 3 + f) * (0.3 / (f + 1))));
  return {
    schema: 'mlops-gates/explanation@1',
    model: { path: 'model/credit.onnx', sha256: 'ab'.repeat(32), name: 'credit-model', version: '7', outputName: 'probabilities', backend: 'web' },
    taskType: 'classification',
    seed: 42,
    featureNames,
    target: 'default',
    rows: 2000,
    permutationImportance: { featureNames, mean: [0.12, 0.08, 0.03, 0.01, 0.002], std: [0.01, 0.01, 0.005, 0.002, 0.001], metric: 'auc', baseline: 0.87, repeats: 5 },
    shap: { featureNames, baseValue: 0.21, rowIndices: values.map((_, i) => i), values, outputs: values.map((r) => 0.21 + r.reduce((a, b) => a + b, 0)), method: 'tree', outputSpace: 'probability', background: { rows: 100, method: 'sample' } },
    partialDependence: { income: { grid: [10, 20, 40, 80, 160], average: [0.4, 0.3, 0.22, 0.15, 0.12] }, debt_ratio: { grid: [0, 0.2, 0.4, 0.6], average: [0.1, 0.15, 0.25, 0.4] } },
    metrics: { rows: 2000, auc: 0.87, accuracy: 0.81, f1: 0.62 },
    champion: { model: { name: 'credit-model', version: '6', sha256: 'cd'.repeat(32) }, metrics: { rows: 2000, auc: 0.85, accuracy: 0.8 }, importanceShift: { income: 0.04, debt_ratio: -0.03 }, maxShift: 0.04 },
    warnings: [`Feature zip_${HOSTILE} has 3% missing values.`],
    timings: { total: 1234 },
  };
}

/** Every attachment of the run, and the pieces tests check against. */
export async function runAttachments(findingCount = 10_000): Promise<{ attachments: Attachment[]; bundleText: string }> {
  const sg = securityGate(findingCount);
  const ep = endpointCheck();
  const { privateKey } = generateKeyPairSync('ed25519');
  const signer = ed25519SignerFromSecret(privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
  const model = { name: 'credit-model', version: '7', assetId: `${WS}/models/credit-model/versions/7` };
  const files = [
    { name: 'model/credit.onnx', sha256: 'ab'.repeat(32), size: 123456 },
    { name: 'model/MLmodel', sha256: '12'.repeat(32), size: 512 },
  ];
  const lineage = { commit: CONTEXT.source.commit, repository: CONTEXT.source.repository, pipelineRunUrl: CONTEXT.pipeline.runUrl, trainingJobId: `${WS}/jobs/train-credit-${HOSTILE}`, dataAssets: ['azureml:credit-train:3'] };
  let bundle = emptyBundle(model);
  const afterSg = serializeBundle((bundle = addEnvelope(bundle, await sealEvidence({ files, evidence: sg.record, model, lineage, signers: [signer] }))));
  const bundleText = serializeBundle((bundle = addEnvelope(bundle, await sealEvidence({ files, evidence: ep.record, model, lineage, signers: [signer] }))));
  const card = { model: { name: 'credit-model', version: '7' }, owners: ['ml-platform@contoso.com'], intendedUse: `Pre-screening of credit applications. ${HOSTILE}`, limitations: 'Not for applicants under 21.', metrics: { auc: 0.87 } };
  const at = (type: string, name: string, content: string, record: string): Attachment => ({ type, name, content, timelineId: '11111111-2222-3333-4444-555555555555', recordId: record });
  return {
    bundleText,
    attachments: [
      at('mlops-gates.sarif', 'SecurityGate.sarif', sg.sarif, 'aaaaaaaa-0000-0000-0000-000000000001'),
      at('mlops-gates.evidence', 'SecurityGate.evidence.json', serializeEvidence(sg.record), 'aaaaaaaa-0000-0000-0000-000000000001'),
      at('mlops-gates.evidence-bundle', 'SecurityGate.evidence.bundle.json', afterSg, 'aaaaaaaa-0000-0000-0000-000000000001'),
      at('mlops-gates.sarif', 'EndpointHardeningCheck.sarif', ep.sarif, 'aaaaaaaa-0000-0000-0000-000000000002'),
      at('mlops-gates.evidence', 'EndpointHardeningCheck.evidence.json', serializeEvidence(ep.record), 'aaaaaaaa-0000-0000-0000-000000000002'),
      at('mlops-gates.evidence-bundle', 'EndpointHardeningCheck.evidence.bundle.json', bundleText, 'aaaaaaaa-0000-0000-0000-000000000002'),
      at('mlops-gates.explanation', 'explainability-report.explanation.json', JSON.stringify(explanation()), 'aaaaaaaa-0000-0000-0000-000000000003'),
      at('mlops-gates.model-card', 'explainability-report.model-card.json', JSON.stringify(card), 'aaaaaaaa-0000-0000-0000-000000000003'),
    ],
  };
}
