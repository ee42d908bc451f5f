import { boolean, integer, NAME_RULES, optionalString, requiredString, InputError, type InputSource } from '../../pipeline/inputs';
import { commonGateInputs, type CommonGateInputs, type PathContext } from '../commonInputs';

/** EndpointHardeningCheck's inputs, validated. The names are a contract with users' YAML: never rename one. */
export interface EndpointCheckInputs extends CommonGateInputs {
  /** Id of the AzureRM service connection. */
  connectionId: string;
  resourceGroupName: string;
  workspaceName: string;
  /** One online or batch endpoint; undefined: every endpoint of the workspace. */
  endpointName?: string;
  /** Live probes of scoring URIs; undefined when `probe` is false. */
  probe?: { timeoutSeconds: number; certExpiryDays: number };
  /** Days of metrics and activity log to judge; 0 turns monitoring evidence off. */
  monitoringDays: number;
  deadlineSeconds: number;
}

export function parseEndpointCheckInputs(src: InputSource, paths: PathContext): EndpointCheckInputs {
  const connectionId = requiredString(src, 'azureSubscription', {
    pattern: /^[\w.-]{1,128}$/,
    expected: 'the name or id of an Azure Resource Manager service connection',
  });
  const resourceGroupName = requiredString(src, 'resourceGroupName', NAME_RULES.resourceGroup);
  const workspaceName = requiredString(src, 'workspaceName', NAME_RULES.workspace);
  const endpointName = optionalString(src, 'endpointName');
  if (endpointName !== undefined && !NAME_RULES.endpoint.pattern.test(endpointName)) {
    throw new InputError('endpointName', `Input 'endpointName' has the value '${endpointName}'; expected ${NAME_RULES.endpoint.expected}, or leave it empty to check every endpoint of the workspace.`);
  }
  const probeOn = boolean(src, 'probe', true);
  return {
    connectionId,
    resourceGroupName,
    workspaceName,
    endpointName,
    probe: probeOn ? { timeoutSeconds: integer(src, 'probeTimeoutSeconds', 5, 1, 60), certExpiryDays: integer(src, 'certExpiryDays', 30, 0, 365) } : undefined,
    monitoringDays: integer(src, 'monitoringDays', 7, 0, 90),
    deadlineSeconds: integer(src, 'deadlineSeconds', 300, 5, 3600),
    ...commonGateInputs(src, paths, 'endpoint-check.sarif'),
  };
}
