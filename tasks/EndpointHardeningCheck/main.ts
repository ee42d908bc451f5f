import { agentHost } from '../../shared/pipeline/host';
import { agentPaths, agentRunContext, agentTempDir, azureFromAgent, publishGateOutputs } from '../../shared/pipeline/agent';
import { runTask } from '../../shared/pipeline/runTask';
import { parseEndpointCheckInputs } from '../../shared/gates/endpointCheck/inputs';
import { GATE_NAME, runEndpointCheck } from '../../shared/gates/endpointCheck/run';

export function main(): Promise<void> {
  return runTask(async (host) => {
    const inputs = parseEndpointCheckInputs(host.input, agentPaths(host));
    const azure = azureFromAgent(host, 'azureSubscription', inputs.connectionId);
    const r = await runEndpointCheck(inputs, { host, azure, tempDir: agentTempDir(host), context: agentRunContext(host) });
    publishGateOutputs(host, GATE_NAME, { ...r, activeCount: r.outcome.active.length });
    host.setOutput('endpointCount', String(r.endpointCount));
    if (r.verdict === 'passed') host.succeed(r.message);
    else host.fail(r.message);
  }, agentHost);
}
