/**
 * The gates the CLI runs as subcommands: each names its task.json (bundled with the CLI, so the flags are
 * the task's inputs of this very build) and calls the task's own input parser and gate.
 */
import type { TokenCredential } from '@azure/core-auth';
import type { AzureRmConnection } from '../azure/cloud';
import type { PathContext } from '../gates/commonInputs';
import type { KeyVaultConnectionData } from '../gates/evidenceKeyVault';
import { parseEndpointCheckInputs } from '../gates/endpointCheck/inputs';
import { checkOutputsOutsideModel, parseEvidenceInputs, sealWorkspaceInputs } from '../gates/evidenceInputs';
import { startSealing, type SealResult } from '../gates/evidenceSeal';
import { runEndpointCheck } from '../gates/endpointCheck/run';
import { parseSecurityGateInputs } from '../gates/securityGate/inputs';
import { runSecurityGate } from '../gates/securityGate/run';
import type { InputSource } from '../pipeline/inputs';
import type { GateHost } from '../pipeline/host';
import type { PolicyOutcome } from '../rules/policy';
import type { TaskDefinition } from './taskFlags';
import { EXPLAIN_COMMAND } from './explainCommand';
import securityGateTask = require('../../tasks/SecurityGate/task.json');
import endpointCheckTask = require('../../tasks/EndpointHardeningCheck/task.json');

export interface GateEnvironment {
  host: GateHost;
  paths: PathContext;
  /** Where the gate writes its summary before the CLI moves it beside the SARIF log. */
  tempDir: string;
  /** Sign-in for a subscription; called only when the gate reads Azure. */
  azure(subscriptionId: string): { connection: AzureRmConnection; credential: TokenCredential; keyVaultData?: KeyVaultConnectionData };
}

export interface GateRun {
  verdict: 'passed' | 'failed';
  message: string;
  outcome: PolicyOutcome;
  /** Findings known from a baseline (content scan only). */
  known: number;
  sarifPath: string;
  evidencePaths: string[];
  summaryPath: string;
  /** Set when the gate could not judge (a read or the sign-in failed) or its evidence could not be sealed: it failed closed. */
  error?: string;
  /** The run's signed evidence, with --model-path. */
  sealed?: SealResult;
  /** Other files the gate wrote (report, explanation, model card), by what they are. */
  outputs?: Array<{ label: string; path: string }>;
}

export interface GateCommand {
  name: string;
  task: TaskDefinition;
  /** One line for the command list. */
  summary: string;
  run(src: InputSource, env: GateEnvironment): Promise<GateRun>;
  /** The "Outputs:" paragraph of --help, when the command writes more than SARIF, evidence and summary. */
  outputsHelp?: string;
}

export const GATE_COMMANDS: readonly GateCommand[] = [
  {
    name: 'security-gate',
    task: securityGateTask as TaskDefinition,
    summary: 'audit an Azure ML workspace and scan files (the SecurityGate task)',
    async run(src, env) {
      const evidence = parseEvidenceInputs(src, env.paths, { mask: (s) => env.host.setSecret(s) });
      const inputs = parseSecurityGateInputs(src, env.paths);
      // On a command line the connection input is the subscription itself: sign-in is needed only to read Azure.
      const where = inputs.audit ?? (evidence ? sealWorkspaceInputs(src) : undefined);
      const azure = inputs.audit || evidence?.key.kind === 'keyVault' ? env.azure(where!.connectionId) : undefined;
      if (evidence) checkOutputsOutsideModel(evidence, [{ input: 'sarifOutput', path: inputs.sarifOutput }]);
      const sealer = evidence && where
        ? startSealing(evidence, { workspace: { subscriptionId: where.connectionId, resourceGroup: where.resourceGroupName, workspace: where.workspaceName }, azure, keyVaultData: azure?.keyVaultData, context: {} })
        : undefined;
      const r = await runSecurityGate(inputs, { host: env.host, azure: inputs.audit ? azure : undefined, tempDir: env.tempDir, context: {}, sealer });
      return {
        verdict: r.verdict,
        message: r.message,
        outcome: r.outcome,
        known: r.scan?.known.length ?? 0,
        sarifPath: r.sarifPath,
        evidencePaths: [r.evidencePath],
        summaryPath: r.summaryPath,
        error: [r.audit?.error?.message, r.sealError].filter(Boolean).join(' ') || undefined,
        sealed: r.sealed,
      };
    },
  },
  {
    name: 'endpoint-check',
    task: endpointCheckTask as TaskDefinition,
    summary: 'audit and probe Azure ML online and batch endpoints (the EndpointHardeningCheck task)',
    async run(src, env) {
      const evidence = parseEvidenceInputs(src, env.paths, { mask: (s) => env.host.setSecret(s) });
      const inputs = parseEndpointCheckInputs(src, env.paths);
      const azure = env.azure(inputs.connectionId);
      if (evidence) checkOutputsOutsideModel(evidence, [{ input: 'sarifOutput', path: inputs.sarifOutput }]);
      const sealer = evidence
        ? startSealing(evidence, { workspace: { subscriptionId: inputs.connectionId, resourceGroup: inputs.resourceGroupName, workspace: inputs.workspaceName }, azure, keyVaultData: azure?.keyVaultData, context: {} })
        : undefined;
      const r = await runEndpointCheck(inputs, { host: env.host, azure, tempDir: env.tempDir, context: {}, sealer });
      return {
        verdict: r.verdict,
        message: r.message,
        outcome: r.outcome,
        known: 0,
        sarifPath: r.sarifPath,
        evidencePaths: [r.evidencePath, ...r.endpointEvidencePaths],
        summaryPath: r.summaryPath,
        error: [r.error, r.sealError].filter(Boolean).join(' ') || undefined,
        sealed: r.sealed,
      };
    },
  },
  EXPLAIN_COMMAND,
];
