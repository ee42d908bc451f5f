// npm run demo: the whole gate chain on the local Azure (test/azure: the emulator, with Azurite for blob storage),
// every task bundled and run as the agent runs it (child process, INPUT_*/ENDPOINT_* environment, workload
// identity federation):
//   1. SecurityGate and EndpointHardeningCheck on an insecure and a hardened workspace: the first is stopped.
//   2. The model chain on the hardened workspace, with a credit-risk model generated here (ONNX + CSV, nothing
//      committed) and registered as a model version (files in Azurite): a clean model (credit-risk:3) passes
//      SecurityGate and ExplainabilityReport (which downloads azureml:credit-risk:3) with their evidence sealed
//      into one bundle (Ed25519 key made at run time), which verifies; a model that leans on a sensitive feature (credit-risk:4) and a file that is not
//      ONNX are stopped.
//   3. ModelRegistryPromote promotes credit-risk:3 to the registry contoso-models (its bundle, the public key,
//      security-gate and explainability-report required) and refuses credit-risk:4, whose evidence holds a
//      failed explainability-report.
//   4. ModelEvidenceGate's release check (the criterion of tasks/ModelEvidenceGate/task.json against the ARM
//      answer for the version) passes the promoted version and fails the unpromoted one.
// A table of outcomes ends the run; the exit code is 0 only when every outcome was the expected one.
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, root, testCa } from './lib.mjs';

const require = createRequire(import.meta.url);
if (!process.argv.includes('--no-build')) build();
const ca = testCa();
// Node reads NODE_EXTRA_CA_CERTS only at start-up, and this process talks TLS to the local Azure and Azurite.
if (process.env.NODE_EXTRA_CA_CERTS !== ca) {
  const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--no-build'], { cwd: root, stdio: 'inherit', env: { ...process.env, NODE_EXTRA_CA_CERTS: ca } });
  process.exit(r.status ?? 1);
}

const { runTask } = require('../build/test/agent/runTask.js');
const { wifConnection } = require('../build/test/agent/connections.js');
const { startAzurite } = require('../build/test/azure/azurite.js');
const { startLocalAzure } = require('../build/test/azure/server.js');
const { armToken } = require('../build/test/azure/testSupport.js');
const { registerModel } = require('../build/test/azure/registerAssets.js');
const { writeCreditScenario } = require('../build/test/unit/explain/gate/scenario.js');
const { readTaskJson } = require('../build/test/releaseGate/docs.js');
const { runServerTask } = require('../build/test/releaseGate/serverTask.js');
const { verifyBundle } = require('../build/shared/evidence/verify.js');
const { digestModel } = require('../build/shared/evidence/digests.js');
const { ed25519Verifier } = require('../build/shared/evidence/keys.js');
const t0 = Date.now();

const RG = 'rg-ml-hardened';
const WS = 'mlw-hardened';
const REGISTRY = 'contoso-models';
/** What happened at each step, for the closing table. */
const outcomes = [];
function outcome(step, expected, actual) {
  outcomes.push({ step, expected, actual, ok: expected === actual });
  return expected === actual;
}

const caDir = dirname(ca);
const azurite = await startAzurite({ caDir });
let azure;
try {
  azure = await startLocalAzure({ caDir, scenarios: ['insecure', 'hardened'], azurite });
  console.log(`\nLocal Azure: ARM ${azure.armUrl}, Entra ${azure.authorityHost}, Azure DevOps ${azure.collectionUri}; blob storage (Azurite) ${azurite.url}\n`);
  const conn = wifConnection(azure);
  await workspaceGates(conn);
  await modelChain(conn);
} catch (e) {
  outcome('demo ran to the end', 'yes', `no: ${e.message}`);
  console.error(e.stack);
} finally {
  await azure?.close();
  await azurite.close();
}

const ok = outcomes.length > 0 && outcomes.every((o) => o.ok);
console.log('\n=== Outcomes ===\n');
const w = [Math.max(...outcomes.map((o) => o.step.length)), Math.max(8, ...outcomes.map((o) => o.expected.length))];
console.log(`  ${'step'.padEnd(w[0])}  ${'expected'.padEnd(w[1])}  actual`);
for (const o of outcomes) console.log(`${o.ok ? '✔' : '✖'} ${o.step.padEnd(w[0])}  ${o.expected.padEnd(w[1])}  ${o.actual}`);
console.log(ok
  ? `\nDemo finished in ${((Date.now() - t0) / 1000).toFixed(0)} s: the insecure workspace, the biased and the broken model were stopped; the clean model's evidence verified, it was promoted to ${REGISTRY}, and the release gate passes it.`
  : '\nDemo finished with unexpected results (✖ above).');
process.exit(ok ? 0 : 1);

/** One task run, its summary shown, its result recorded against the expectation. */
async function gate(title, entry, inputs, env, expected) {
  console.log(`\n=== ${title} ===`);
  const run = await runTask({ entry, inputs, env, timeoutMs: 120_000 });
  const summary = run.commands.find((c) => c.event === 'uploadsummary');
  if (summary && existsSync(summary.data)) console.log(readFileSync(summary.data, 'utf8'));
  console.log(`task result: ${run.result} (${run.resultMessage}) in ${(run.durationMs / 1000).toFixed(1)} s; outputs ${JSON.stringify(run.outputs)}`);
  if (!outcome(title, expected, String(run.result))) console.log(`expected ${expected}; stdout follows\n${run.stdout}\n${run.stderr}`);
  return run;
}

async function workspaceGates(conn) {
  // The hardened workspace keeps its blobs in the local blob storage (127.0.0.1), a host an organisation would
  // approve in its policy file exactly like this: the default storage suffixes plus its own.
  const { DEFAULT_ALLOWED_HOSTS } = await import(pathToFileURL(join(root, 'build/shared/rules/datastore/_hosts.js')).href);
  const policyDir = mkdtempSync(join(tmpdir(), 'mlops-demo-policy-'));
  const policyFile = join(policyDir, '.mlops-gates.yml');
  writeFileSync(policyFile, JSON.stringify({ version: 1, options: { allowedHosts: [...DEFAULT_ALLOWED_HOSTS, '127.0.0.1'] } }, null, 2));
  const gates = [
    ['SecurityGate', 'dist/tasks/SecurityGate/index.js', {}],
    ['EndpointHardeningCheck', 'dist/tasks/EndpointHardeningCheck/index.js', { probeTimeoutSeconds: '3' }],
  ];
  for (const [scenario, rg, ws, expected] of [
    ['insecure', 'rg-ml-insecure', 'mlw-insecure', 'Failed'],
    ['hardened', RG, WS, 'Succeeded'],
  ]) {
    for (const [name, entry, extra] of gates) {
      const policy = scenario === 'hardened' && name === 'SecurityGate' ? { policyFile } : {};
      await gate(`${name} on the ${scenario} workspace (${rg}/${ws})`, entry,
        { azureSubscription: conn.id, resourceGroupName: rg, workspaceName: ws, failOnSeverity: 'high', ...policy, ...extra }, conn.env, expected);
    }
  }
  console.log(`(SecurityGate on the hardened workspace read the policy ${policyFile}: it approves the local blob storage, 127.0.0.1, beside Azure's storage suffixes.)`);
}

/**
 * The model chain on the hardened workspace: one job folder (sources with the models and the data), one bundle
 * per model version. The signing key is made here and exists only in this process and the tasks' environment.
 */
async function modelChain(conn) {
  const job = mkdtempSync(join(tmpdir(), 'mlops-demo-chain-'));
  const scenario = writeCreditScenario(join(job, 'scenario'));
  const sources = join(job, 's');
  for (const [dir, file] of [['model', scenario.good], ['biased', scenario.biased]]) {
    mkdirSync(join(sources, dir), { recursive: true });
    copyFileSync(file, join(sources, dir, 'model.onnx'));
  }
  copyFileSync(scenario.data, join(sources, 'credit-test.csv'));
  copyFileSync(scenario.broken, join(sources, 'credit-broken.onnx'));

  // What training would have left in the workspace: the two candidates as model versions, files in blob storage.
  console.log(`\n=== Registering credit-risk:3 (clean) and credit-risk:4 (biased) in ${WS}, files in Azurite ===`);
  for (const [version, dir] of [['3', 'model'], ['4', 'biased']]) {
    const id = await registerModel(azure, { resourceGroup: RG, workspace: WS, name: 'credit-risk', version, files: [{ name: 'model.onnx', data: readFileSync(join(sources, dir, 'model.onnx')) }], jobName: `train-credit-risk-demo-${version}` });
    console.log(`  ${id}`);
  }

  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const signingKey = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const where = { azureSubscription: conn.id, resourceGroupName: RG, workspaceName: WS };
  const jobEnv = { ...conn.env, BUILD_SOURCESDIRECTORY: sources, BUILD_ARTIFACTSTAGINGDIRECTORY: join(job, 'a'), SYSTEM_DEFAULTWORKINGDIRECTORY: sources };
  const explain = { data: 'credit-test.csv', target: 'default', sensitiveFeatures: 'gender', sensitiveTopK: '3', metricFloors: 'auc=0.75', explainRows: '10' };
  const bundle = join(job, 'a', 'mlops-gates', 'evidence.bundle.json');
  const biasedBundle = join(job, 'a', 'biased', 'evidence.bundle.json');
  const evidence = { modelPath: 'model', modelName: 'credit-risk', modelVersion: '3', evidenceBundle: bundle, signingKey };
  const biasedEvidence = { modelPath: 'biased', modelName: 'credit-risk', modelVersion: '4', evidenceBundle: biasedBundle, signingKey };
  const biasedOut = { reportOutput: join(job, 'a', 'biased', 'report.html'), sarifOutput: join(job, 'a', 'biased', 'explain.sarif') };

  await gate('SecurityGate on credit-risk:3, evidence sealed', 'dist/tasks/SecurityGate/index.js',
    { ...where, scanPath: 'model', failOnSeverity: 'high', ...evidence }, jobEnv, 'Succeeded');
  // ExplainabilityReport reads the registered versions from the workspace (azureml:); the evidence digests the
  // same bytes in the job's folders (modelPath), which the promotion checks against the version's blobs.
  await gate('ExplainabilityReport on credit-risk:3, sealed into the same bundle', 'dist/tasks/ExplainabilityReport/index.js',
    { ...where, ...explain, model: 'azureml:credit-risk:3', ...evidence }, jobEnv, 'Succeeded');
  await gate('SecurityGate on credit-risk:4, evidence sealed', 'dist/tasks/SecurityGate/index.js',
    { ...where, scanPath: 'biased', failOnSeverity: 'high', ...biasedEvidence }, jobEnv, 'Succeeded');
  await gate('ExplainabilityReport on credit-risk:4 (leans on gender), failed verdict sealed', 'dist/tasks/ExplainabilityReport/index.js',
    { ...where, ...explain, model: 'azureml:credit-risk:4', ...biasedEvidence, ...biasedOut }, jobEnv, 'Failed');
  await gate('ExplainabilityReport on a file that is not ONNX (fails closed)', 'dist/tasks/ExplainabilityReport/index.js',
    { ...explain, model: 'credit-broken.onnx', reportOutput: join(job, 'a', 'broken', 'report.html'), sarifOutput: join(job, 'a', 'broken', 'explain.sarif') }, jobEnv, 'Failed');

  console.log('\n=== The evidence bundle of credit-risk:3, verified as the promotion verifies it ===');
  const verification = await verifyBundle(readFileSync(bundle), {
    files: await digestModel(join(sources, 'model')),
    trustedKeys: [ed25519Verifier(publicPem)],
    requiredGates: ['security-gate', 'explainability-report'],
    maxAgeDays: 1,
    now: new Date(),
  });
  for (const [name, g] of Object.entries(verification.gates)) console.log(`  ${name}: ${g.verdict}, envelope ${g.envelope}, key ${g.keyid}, model digest ${g.modelDigest}`);
  for (const f of verification.failures) console.log(`  failure: ${f.code}: ${f.message}`);
  console.log(verification.ok ? `  verified: ${bundle}` : '  NOT verified');
  outcome('evidence bundle of credit-risk:3 verifies', 'verified', verification.ok ? 'verified' : 'not verified');

  const promote = (version, evidenceBundle) => ({
    azureSubscription: conn.id, sourceResourceGroup: RG, sourceWorkspace: WS, modelName: 'credit-risk', modelVersion: version,
    targetType: 'registry', targetResourceGroup: RG, targetName: REGISTRY, evidenceBundle,
    trustedPublicKeys: publicPem, requiredGates: 'security-gate\nexplainability-report', maxEvidenceAgeDays: '1', stageTag: 'stage=production',
  });
  const promoted = await gate(`ModelRegistryPromote credit-risk:3 → registry ${REGISTRY}`, 'dist/tasks/ModelRegistryPromote/index.js', promote('3', bundle), conn.env, 'Succeeded');
  const target = await registryVersion('3');
  if (target) {
    const p = target.properties;
    console.log(`\n${target.id}\n  modelUri ${p.modelUri}\n  stage ${p.stage}\n  tags:`);
    for (const [k, v] of Object.entries(p.tags ?? {}).sort()) console.log(`    ${k} = ${v}`);
  }
  outcome(`credit-risk:3 in ${REGISTRY}, stage production`, 'present', target?.properties?.tags?.stage === 'production' ? 'present' : `absent (action ${promoted.outputs.action})`);

  const refused = await gate(`ModelRegistryPromote credit-risk:4 → registry ${REGISTRY} (must be refused)`, 'dist/tasks/ModelRegistryPromote/index.js', promote('4', biasedBundle), conn.env, 'Failed');
  console.log(`refused because: ${refused.resultMessage}`);
  outcome('credit-risk:4 refused for its explainability-report', 'refused', /gate-failed.*ExplainabilityReport failed/.test(refused.resultMessage ?? '') ? 'refused' : `other reason: ${refused.resultMessage}`);
  outcome(`credit-risk:4 absent from ${REGISTRY}`, 'absent', (await registryVersion('4')) ? 'present' : 'absent');

  // ModelEvidenceGate is agentless: the server sends one GET and evaluates the task's criterion on the answer.
  const task = readTaskJson();
  const connection = { id: conn.id, url: azure.armUrl, subscriptionId: azure.subscriptionId, token: () => armToken(azure) };
  const required = { requireSecurityGate: 'true', requireExplainabilityReport: 'true', requireEndpointHardeningCheck: 'false' };
  for (const [title, inputs, expected] of [
    [`ModelEvidenceGate on ${REGISTRY}/credit-risk:3 (promoted)`, { containerType: 'registries', workspaceName: REGISTRY, modelVersion: '3' }, 'passed'],
    [`ModelEvidenceGate on ${WS}/credit-risk:4 (never promoted, no evidence tags)`, { containerType: 'workspaces', workspaceName: WS, modelVersion: '4' }, 'failed'],
  ]) {
    console.log(`\n=== ${title} ===`);
    const r = await runServerTask(task, { azureSubscription: conn.id, resourceGroupName: RG, modelName: 'credit-risk', ...required, ...inputs }, connection);
    console.log(`GET ${r.url} → ${r.status}; security-gate + explainability-report required; criterion ${r.passed ? 'holds' : 'does not hold'}${r.error ? ` (${r.error})` : ''}`);
    outcome(title, expected, r.passed ? 'passed' : 'failed');
  }
}

/** A version of credit-risk in the registry as ARM returns it, or undefined. */
async function registryVersion(version) {
  const url = `${azure.armUrl}subscriptions/${azure.subscriptionId}/resourceGroups/${RG}/providers/Microsoft.MachineLearningServices/registries/${REGISTRY}/models/credit-risk/versions/${version}?api-version=2024-10-01`;
  const res = await fetch(url, { headers: { authorization: `Bearer ${await armToken(azure)}` } });
  return res.status === 200 ? res.json() : undefined;
}
