import { agentHost } from '../../shared/pipeline/host';
import { agentKeyVaultData, agentPaths, agentRunContext, azureFromAgent } from '../../shared/pipeline/agent';
import { runTask } from '../../shared/pipeline/runTask';
import { parsePromoteInputs } from '../../shared/gates/promote/inputs';
import { runPromote } from '../../shared/gates/promote/run';

export function main(): Promise<void> {
  return runTask(async (host) => {
    const inputs = parsePromoteInputs(host.input, agentPaths(host));
    const azure = azureFromAgent(host, 'azureSubscription', inputs.connectionId);
    const r = await runPromote(inputs, { host, azure: { ...azure, keyVaultData: agentKeyVaultData(inputs.connectionId) }, context: agentRunContext(host) });
    host.setOutput('verdict', r.verdict);
    if (r.action) host.setOutput('action', r.action);
    if (r.targetModelId) host.setOutput('targetModelId', r.targetModelId);
    if (r.verdict === 'passed') host.succeed(r.message);
    else host.fail(r.message);
  }, agentHost);
}
