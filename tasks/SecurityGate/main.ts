import { agentHost } from '../../shared/pipeline/host';
import { agentPaths, agentRunContext, agentTempDir, azureFromAgent, publishGateOutputs } from '../../shared/pipeline/agent';
import { runTask } from '../../shared/pipeline/runTask';
import { parseSecurityGateInputs } from '../../shared/gates/securityGate/inputs';
import { GATE_NAME, runSecurityGate } from '../../shared/gates/securityGate/run';

export function main(): Promise<void> {
  return runTask(async (host) => {
    const inputs = parseSecurityGateInputs(host.input, agentPaths(host));
    const azure = inputs.audit ? azureFromAgent(host, 'azureSubscription', inputs.audit.connectionId) : undefined;
    const r = await runSecurityGate(inputs, { host, azure, tempDir: agentTempDir(host), context: agentRunContext(host) });
    publishGateOutputs(host, GATE_NAME, { ...r, activeCount: r.outcome.active.length });
    if (r.verdict === 'passed') host.succeed(r.message);
    else host.fail(r.message);
  }, agentHost);
}
