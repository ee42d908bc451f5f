import { agentHost } from '../../shared/pipeline/host';
import { agentInputs, agentKeyVaultData, agentPaths, agentRunContext, agentTempDir, azureFromAgent, publishGateOutputs } from '../../shared/pipeline/agent';
import { runTask } from '../../shared/pipeline/runTask';
import { parseEndpointCheckInputs } from '../../shared/gates/endpointCheck/inputs';
import { GATE_NAME, runEndpointCheck } from '../../shared/gates/endpointCheck/run';
import { checkOutputsOutsideModel, parseEvidenceInputs, SIGNING_KEY_INPUT } from '../../shared/gates/evidenceInputs';
import { publishSealOutputs, startSealing, type EvidenceSealer } from '../../shared/gates/evidenceSeal';

export function main(): Promise<void> {
  return runTask(async (host) => {
    const paths = agentPaths(host);
    // First: it masks the signing key before anything else can fail or log.
    const evidence = parseEvidenceInputs(agentInputs(host, [SIGNING_KEY_INPUT]), paths, { mask: (s) => host.setSecret(s) });
    const inputs = parseEndpointCheckInputs(host.input, paths);
    const azure = azureFromAgent(host, 'azureSubscription', inputs.connectionId);
    const context = agentRunContext(host);
    let sealer: EvidenceSealer | undefined;
    if (evidence) {
      checkOutputsOutsideModel(evidence, [{ input: 'sarifOutput', path: inputs.sarifOutput }]);
      const workspace = { subscriptionId: azure.connection.subscriptionId, resourceGroup: inputs.resourceGroupName, workspace: inputs.workspaceName };
      sealer = startSealing(evidence, { workspace, azure, keyVaultData: agentKeyVaultData(inputs.connectionId), context });
    }
    const r = await runEndpointCheck(inputs, { host, azure, tempDir: agentTempDir(host), context, sealer });
    publishGateOutputs(host, GATE_NAME, { ...r, activeCount: r.outcome.active.length });
    host.setOutput('endpointCount', String(r.endpointCount));
    if (r.sealed) publishSealOutputs(host, GATE_NAME, r.sealed);
    if (r.verdict === 'passed') host.succeed(r.message);
    else host.fail(r.message);
  }, agentHost);
}
