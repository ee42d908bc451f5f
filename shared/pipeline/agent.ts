import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as taskLibInternal from 'azure-pipelines-task-lib/internal';
import type { TokenCredential } from '@azure/core-auth';
import type { AzureRmConnection } from '../azure/cloud';
import { createArmCredential } from '../azure/credentials';
import type { KeyVaultConnectionData } from '../gates/evidenceKeyVault';
import type { RunContext } from '../gates/securityGate/run';
import type { PathContext } from '../gates/commonInputs';
import type { GateHost } from './host';
import type { InputSource } from './inputs';
import { readAzureRmConnection, taskLibReader } from './serviceConnection';

/** Paths as an agent job lays them out; outside a job (a bare `node index.js`) the current directory. */
export function agentPaths(host: GateHost): PathContext {
  const sources = host.variable('Build.SourcesDirectory') ?? host.variable('System.DefaultWorkingDirectory') ?? process.cwd();
  const staging = host.variable('Build.ArtifactStagingDirectory') ?? host.variable('Agent.TempDirectory') ?? sources;
  return { baseDir: sources, outputDir: staging, exists: existsSync };
}

export function agentTempDir(host: GateHost): string {
  return host.variable('Agent.TempDirectory') ?? tmpdir();
}

/** The AzureRM connection named by an input, and a credential for it; every secret involved is masked. */
export function azureFromAgent(host: GateHost, inputName: string, connectionId: string): { connection: AzureRmConnection; credential: TokenCredential } {
  const connection = readAzureRmConnection(inputName, connectionId, taskLibReader);
  const credential = createArmCredential(connection, { mask: (s) => host.setSecret(s) });
  return { connection, credential };
}

/**
 * The task's inputs, with `secret` ones (the evidence signing key) read straight from task-lib's store:
 * tl.getInput writes every value it returns to the debug log, before the task could register it for masking.
 */
export function agentInputs(host: GateHost, secret: readonly string[]): InputSource {
  return (name) => (secret.includes(name) ? taskLibInternal._vault.retrieveSecret(`INPUT_${taskLibInternal._getVariableKey(name)}`) || undefined : host.input(name));
}

/**
 * Where the connection's cloud serves Key Vault, as Azure DevOps records it for Azure Stack Hub and custom
 * clouds (Microsoft's tasks read the same two data parameters): evidence is signed with a Key Vault key only
 * on a host of that domain. Public clouds record nothing here and are known by name.
 */
export function agentKeyVaultData(connectionId: string): KeyVaultConnectionData {
  const data = (key: string) => taskLibReader.dataParam(connectionId, key)?.trim() || undefined;
  return { dnsSuffix: data('AzureKeyVaultDnsSuffix'), resourceId: data('AzureKeyVaultServiceEndpointResourceId') };
}

/** What the evidence record (and the sealed statement's lineage: commit, repository, run URL) says about the run. */
export function agentRunContext(host: GateHost): RunContext {
  const v = (n: string) => host.variable(n) || undefined;
  const collection = v('System.CollectionUri') ?? v('System.TeamFoundationCollectionUri');
  const project = v('System.TeamProject');
  const buildId = v('Build.BuildId');
  const runUrl = collection && project && buildId ? `${collection.replace(/\/?$/, '/')}${encodeURIComponent(project)}/_build/results?buildId=${buildId}` : undefined;
  const attempt = Number(v('System.JobAttempt'));
  return {
    runUrl,
    definition: v('Build.DefinitionName') ?? v('Release.DefinitionName'),
    runId: v('Build.BuildNumber') ?? v('Release.ReleaseName') ?? buildId,
    attempt: Number.isFinite(attempt) && attempt > 0 ? attempt : undefined,
    repository: v('Build.Repository.Uri'),
    commit: v('Build.SourceVersion'),
    branch: v('Build.SourceBranch'),
  };
}

/** Output variables, attachments and the summary: what later steps and the run page read. */
export function publishGateOutputs(
  host: GateHost,
  gate: string,
  r: { verdict: string; activeCount: number; sarifPath: string; evidencePath: string; summaryPath: string },
): void {
  host.setOutput('verdict', r.verdict);
  host.setOutput('findingCount', String(r.activeCount));
  host.setOutput('sarifPath', r.sarifPath);
  host.setOutput('evidencePath', r.evidencePath);
  host.uploadSummary(r.summaryPath);
  host.addAttachment('mlops-gates.sarif', `${gate}.sarif`, r.sarifPath);
  host.addAttachment('mlops-gates.evidence', `${gate}.evidence.json`, r.evidencePath);
}
