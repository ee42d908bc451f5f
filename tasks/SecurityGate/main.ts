import { agentHost } from '../../shared/pipeline/host';
import { agentInputs, agentKeyVaultData, agentPaths, agentRunContext, agentTempDir, azureFromAgent, publishGateOutputs } from '../../shared/pipeline/agent';
import { runTask } from '../../shared/pipeline/runTask';
import { checkOutputsOutsideModel, parseEvidenceInputs, SIGNING_KEY_INPUT, sealWorkspaceInputs } from '../../shared/gates/evidenceInputs';
import { publishSealOutputs, startSealing, type EvidenceSealer } from '../../shared/gates/evidenceSeal';
import { parseSecurityGateInputs } from '../../shared/gates/securityGate/inputs';
import { GATE_NAME, runSecurityGate } from '../../shared/gates/securityGate/run';

export function main(): Promise<void> {
  return runTask(async (host) => {
    const paths = agentPaths(host);
    // First: it masks the signing key before anything else can fail or log.
    const evidence = parseEvidenceInputs(agentInputs(host, [SIGNING_KEY_INPUT]), paths, { mask: (s) => host.setSecret(s) });
    const inputs = parseSecurityGateInputs(host.input, paths);
    // With the audit off, sealing still needs the workspace that holds the model version (nothing of it is read).
    const where = inputs.audit ?? (evidence ? sealWorkspaceInputs(host.input) : undefined);
    const azure = where ? azureFromAgent(host, 'azureSubscription', where.connectionId) : undefined;
    const context = agentRunContext(host);
    let sealer: EvidenceSealer | undefined;
    if (evidence && where && azure) {
      checkOutputsOutsideModel(evidence, [{ input: 'sarifOutput', path: inputs.sarifOutput }]);
      const workspace = { subscriptionId: azure.connection.subscriptionId, resourceGroup: where.resourceGroupName, workspace: where.workspaceName };
      sealer = startSealing(evidence, { workspace, azure, keyVaultData: agentKeyVaultData(where.connectionId), context });
    }
    const r = await runSecurityGate(inputs, { host, azure: inputs.audit ? azure : undefined, tempDir: agentTempDir(host), context, sealer });
    publishGateOutputs(host, GATE_NAME, { ...r, activeCount: r.outcome.active.length });
    if (r.sealed) publishSealOutputs(host, GATE_NAME, r.sealed);
    if (r.verdict === 'passed') host.succeed(r.message);
    else host.fail(r.message);
  }, agentHost);
}
