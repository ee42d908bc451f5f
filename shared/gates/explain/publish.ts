/** ExplainabilityReport's own output variables and attachments, beside the ones every gate publishes. */
import type { GateHost } from '../../pipeline/host';
import type { ExplainGateResult } from './run';

export const EXPLANATION_ATTACHMENT = 'mlops-gates.explanation';
export const MODEL_CARD_ATTACHMENT = 'mlops-gates.model-card';

export function publishExplainOutputs(host: GateHost, gate: string, r: ExplainGateResult): void {
  host.setOutput('reportPath', r.reportPath);
  if (r.headlineMetric) host.setOutput('headlineMetric', r.headlineMetric);
  if (r.explanationPath) {
    host.setOutput('explanationPath', r.explanationPath);
    host.addAttachment(EXPLANATION_ATTACHMENT, 'explainability-report.explanation.json', r.explanationPath);
  }
  if (r.modelCardPath) {
    host.setOutput('modelCardPath', r.modelCardPath);
    host.addAttachment(MODEL_CARD_ATTACHMENT, `${gate}.model-card.json`, r.modelCardPath);
  }
}
