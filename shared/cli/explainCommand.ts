/**
 * `mlops-gates explain`: the ExplainabilityReport task on a command line. Its flags are the task's inputs
 * (task.json), with the short names the command documents: --model, --data, --target, --background,
 * --output (ONNX output), --class, --explain-rows, --seed, --json, --html.
 */
import { checkOutputsOutsideModel, parseEvidenceInputs, sealWorkspaceInputs } from '../gates/evidenceInputs';
import { startSealing } from '../gates/evidenceSeal';
import { parseExplainInputs } from '../gates/explain/inputs';
import { GATE_NAME, runExplainGate } from '../gates/explain/run';
import { azureAssets, defaultEngine, defaultReports } from '../gates/explain/wiring';
import type { GateCommand } from './gateCommands';
import type { TaskDefinition } from './taskFlags';
import explainTask = require('../../tasks/ExplainabilityReport/task.json');

export const EXPLAIN_COMMAND: GateCommand = {
  name: 'explain',
  task: explainTask as TaskDefinition,
  summary: 'explain an ONNX model on data and judge it (the ExplainabilityReport task)',
  outputsHelp:
    'Outputs: the explanation JSON at --json (permutation importance, SHAP values, partial dependence, metrics), the HTML report at --html, ' +
    'the model card (<report>.model-card.json and .md) beside the report, the SARIF log of threshold findings at --sarif with the evidence record ' +
    'and the Markdown summary (<name>.summary.md) beside it; with --model-path, the signed evidence appended to the bundle at --evidence-bundle. ' +
    'Example: mlops-gates explain --model model.onnx --data test.csv --target label --explain-rows 10 --json explanation.json --html report.html',
  async run(src, env) {
    const evidence = parseEvidenceInputs(src, env.paths, { mask: (s) => env.host.setSecret(s) });
    const inputs = parseExplainInputs(src, env.paths);
    // On a command line the connection input is the subscription itself: sign-in only for assets or a Key Vault key.
    const where = inputs.workspace ?? (evidence ? sealWorkspaceInputs(src) : undefined);
    const azure = inputs.workspace || evidence?.key.kind === 'keyVault' ? env.azure(where!.connectionId) : undefined;
    if (evidence) {
      checkOutputsOutsideModel(evidence, [
        { input: 'sarifOutput', path: inputs.sarifOutput },
        { input: 'reportOutput', path: inputs.reportOutput },
        { input: 'explanationOutput', path: inputs.explanationOutput },
      ]);
    }
    const sealer = evidence && where
      ? startSealing(evidence, { workspace: { subscriptionId: where.connectionId, resourceGroup: where.resourceGroupName, workspace: where.workspaceName }, azure, keyVaultData: azure?.keyVaultData, context: {} })
      : undefined;
    const r = await runExplainGate(inputs, {
      host: env.host, engine: defaultEngine(), reports: defaultReports(), ...azureAssets(inputs, azure, GATE_NAME), tempDir: env.tempDir, context: {}, sealer,
    });
    return {
      verdict: r.verdict,
      message: r.message,
      outcome: r.outcome,
      known: 0,
      sarifPath: r.sarifPath,
      evidencePaths: [r.evidencePath],
      summaryPath: r.summaryPath,
      error: [r.error, r.sealError].filter(Boolean).join(' ') || undefined,
      sealed: r.sealed,
      outputs: [
        ...(r.explanationPath ? [{ label: 'explanation', path: r.explanationPath }] : []),
        { label: 'report', path: r.reportPath },
        ...(r.modelCardPath ? [{ label: 'model card', path: r.modelCardPath }] : []),
      ],
    };
  },
};
