// npm run demo: starts the local Azure with an insecure and a hardened workspace and runs the bundled gates
// against each exactly as the agent would (child process, INPUT_*/ENDPOINT_* environment, workload identity
// federation): SecurityGate (workspace audit and repository scan), then EndpointHardeningCheck (endpoints,
// deployments, live probes of the scoring URIs the local Azure serves, monitoring evidence); shows each summary.
import { spawn } from 'node:child_process';
import { readFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import { build, root, testCa } from './lib.mjs';

const require = createRequire(import.meta.url);
if (!process.argv.includes('--no-build')) build();
const ca = testCa();
const { runTask, connectionEnv } = require('../build/test/agent/runTask.js');

const azure = spawn(process.execPath, ['build/test/azure/main.js', '--ca-dir', '.cache/test-ca', '--scenario', 'insecure,hardened'], {
  cwd: root, stdio: ['ignore', 'pipe', 'inherit'],
});
const info = await new Promise((resolve, reject) => {
  const rl = createInterface({ input: azure.stdout });
  rl.once('line', (line) => resolve(JSON.parse(line)));
  azure.once('exit', (code) => reject(new Error(`the local Azure exited (${code}) before it was ready`)));
});
console.log(`\nLocal Azure: ARM ${info.armUrl}, Entra ${info.authorityHost}, Azure DevOps ${info.collectionUri}\n`);

const connectionId = info.federatedConnectionId;
const env = {
  NODE_EXTRA_CA_CERTS: ca,
  ...connectionEnv({
    id: connectionId,
    url: info.armUrl,
    scheme: 'WorkloadIdentityFederation',
    params: { serviceprincipalid: info.clientId, tenantid: info.tenantId },
    data: {
      subscriptionId: info.subscriptionId, subscriptionName: 'Local Azure', environment: 'AzureStack',
      activeDirectoryAuthority: info.authorityHost, activeDirectoryServiceEndpointResourceId: info.armUrl,
    },
  }),
  ...connectionEnv({ id: 'SYSTEMVSSCONNECTION', url: info.collectionUri, scheme: 'OAuth', params: { AccessToken: info.systemAccessToken }, data: {} }),
  SYSTEM_COLLECTIONURI: info.collectionUri,
  SYSTEM_TEAMFOUNDATIONCOLLECTIONURI: info.collectionUri,
};

let ok = true;
try {
  const gates = [
    ['SecurityGate', 'dist/tasks/SecurityGate/index.js', {}],
    ['EndpointHardeningCheck', 'dist/tasks/EndpointHardeningCheck/index.js', { probeTimeoutSeconds: '3' }],
  ];
  for (const [scenario, rg, ws, expected] of [
    ['insecure', 'rg-ml-insecure', 'mlw-insecure', 'Failed'],
    ['hardened', 'rg-ml-hardened', 'mlw-hardened', 'Succeeded'],
  ]) {
    for (const [gate, entry, extra] of gates) {
      console.log(`\n=== ${gate} on the ${scenario} workspace (${rg}/${ws}) ===`);
      const run = await runTask({
        entry,
        inputs: { azureSubscription: connectionId, resourceGroupName: rg, workspaceName: ws, failOnSeverity: 'high', ...extra },
        env,
      });
      const summary = run.commands.find((c) => c.event === 'uploadsummary');
      if (summary && existsSync(summary.data)) console.log(readFileSync(summary.data, 'utf8'));
      console.log(`task result: ${run.result} (${run.resultMessage}) in ${(run.durationMs / 1000).toFixed(1)} s; outputs ${JSON.stringify(run.outputs)}`);
      if (run.result !== expected) {
        ok = false;
        console.log(`expected ${expected}; stdout follows\n${run.stdout}\n${run.stderr}`);
      }
    }
  }
} finally {
  azure.kill('SIGTERM');
}
console.log(ok ? '\nDemo finished: both gates blocked the insecure workspace and passed the hardened one.' : '\nDemo finished with unexpected results.');
process.exit(ok ? 0 : 1);
