import { agentHost } from '../../shared/pipeline/host';
import { agentInputs, agentKeyVaultData, agentPaths, agentRunContext, agentTempDir, azureFromAgent, publishGateOutputs } from '../../shared/pipeline/agent';
import { runTask } from '../../shared/pipeline/runTask';
import { checkOutputsOutsideModel, parseEvidenceInputs, sealWorkspaceInputs, SIGNING_KEY_INPUT } from '../../shared/gates/evidenceInputs';
import { publishSealOutputs, startSealing, type EvidenceSealer } from '../../shared/gates/evidenceSeal';
import { parseExplainInputs } from '../../shared/gates/explain/inputs';
import { GATE_NAME, runExplainGate } from '../../shared/gates/explain/run';
import { publishExplainOutputs } from '../../shared/gates/explain/publish';
import { azureAssets, defaultEngine, defaultReports } from '../../shared/gates/explain/wiring';

export function main(): Promise<void> {
  return runTask(async (host) => {
    const paths = agentPaths(host);
    // First: it masks the signing key before anything else can fail or log.
    const src = agentInputs(host, [SIGNING_KEY_INPUT]);
    const evidence = parseEvidenceInputs(src, paths, { mask: (s) => host.setSecret(s) });
    const inputs = parseExplainInputs(host.input, paths);
    const where = inputs.workspace ?? (evidence ? sealWorkspaceInputs(host.input) : undefined);
    // Reading the connection signs nothing in: a token is asked for only when an asset or a Key Vault key needs it.
    const azure = where ? azureFromAgent(host, 'azureSubscription', where.connectionId) : undefined;
    const context = agentRunContext(host);
    let sealer: EvidenceSealer | undefined;
    if (evidence && where) {
      checkOutputsOutsideModel(evidence, [
        { input: 'sarifOutput', path: inputs.sarifOutput },
        { input: 'reportOutput', path: inputs.reportOutput },
        { input: 'explanationOutput', path: inputs.explanationOutput },
      ]);
      const workspace = { subscriptionId: azure!.connection.subscriptionId, resourceGroup: where.resourceGroupName, workspace: where.workspaceName };
      sealer = startSealing(evidence, { workspace, azure, keyVaultData: agentKeyVaultData(where.connectionId), context });
    }
    const r = await runExplainGate(inputs, {
      host, engine: defaultEngine(), reports: defaultReports(), ...azureAssets(inputs, azure, GATE_NAME), tempDir: agentTempDir(host), context, sealer,
    });
    publishGateOutputs(host, GATE_NAME, { ...r, activeCount: r.outcome.active.length });
    publishExplainOutputs(host, GATE_NAME, r);
    if (r.sealed) publishSealOutputs(host, GATE_NAME, r.sealed);
    if (r.verdict === 'passed') host.succeed(r.message);
    else host.fail(r.message);
  }, agentHost);
}

