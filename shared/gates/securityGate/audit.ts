import type { TokenCredential } from '@azure/core-auth';
import { createMlClient } from '../../azure/armClient';
import { ArmReader } from '../../azure/armReader';
import type { AzureRmConnection } from '../../azure/cloud';
import { CollectionError } from '../../azure/errors';
import { collectWorkspaceInventory, workspaceId } from '../../azure/inventory';
import { evaluate } from '../../rules/engine';
import type { Finding, Rule, RuleOptions, WorkspaceInventory } from '../../rules/types';
import type { GateHost } from '../../pipeline/host';
import { PRODUCT } from '../product';

export interface AuditPart {
  workspaceId: string;
  findings: Finding[];
  /** Every ARM id judged. */
  targets: string[];
  checks: number;
  /** Set when a read failed: nothing was judged and the gate must fail closed. */
  error?: CollectionError;
  requestCount: number;
}

export interface AuditInput {
  connection: AzureRmConnection;
  credential: TokenCredential;
  resourceGroupName: string;
  workspaceName: string;
  deadlineSeconds: number;
}

/** Reads the workspace and everything hanging off it, then runs the rules. Never throws for a failed read. */
export async function auditWorkspace(a: AuditInput, rules: Rule[], options: RuleOptions, now: Date, host: GateHost): Promise<AuditPart> {
  const ref = { subscriptionId: a.connection.subscriptionId, resourceGroup: a.resourceGroupName, workspace: a.workspaceName };
  const wsId = workspaceId(ref);
  host.info(`Auditing ${wsId} with ${rules.length} rules.`);
  const { client, requestCount } = createMlClient(a.connection, a.credential, `${PRODUCT.userAgent} SecurityGate`);
  const reader = new ArmReader(client, a.connection.managementUrl, {
    signal: AbortSignal.timeout(a.deadlineSeconds * 1000),
    maxPages: 200,
    deadlineSeconds: a.deadlineSeconds,
  });
  let inventory: WorkspaceInventory;
  try {
    inventory = await collectWorkspaceInventory(reader, client, ref);
  } catch (err) {
    const error = err instanceof CollectionError ? err : reader.toCollectionError(err, `workspace ${a.workspaceName}`, wsId);
    return { workspaceId: wsId, findings: [], targets: [wsId], checks: 0, error, requestCount: requestCount() };
  }
  host.debug(`ARM requests: ${requestCount()}`);
  const evaluation = evaluate(rules, inventory, now, options);
  const targets = inventoryTargets(inventory);
  host.info(`Evaluated ${evaluation.checks} checks on ${targets.length} resources: ${evaluation.findings.length} findings before the policy.`);
  return { workspaceId: wsId, findings: evaluation.findings, targets, checks: evaluation.checks, requestCount: requestCount() };
}

/** Every ARM id the audit judged, for the evidence record. */
function inventoryTargets(inv: WorkspaceInventory): string[] {
  const linked = [inv.storageAccount, inv.keyVault, inv.containerRegistry, inv.applicationInsights].filter((r) => r !== undefined);
  return [inv.workspace, ...inv.computes, ...inv.datastores, ...inv.connections, ...linked, ...inv.roleAssignments].map((r) => r!.id);
}
