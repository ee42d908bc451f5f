import type { Rule } from '../types';
import { get, show, str } from '../_util';
import { learnRef } from './_refs';

const BASE = 'properties.serverlessComputeSettings';

/** Needs api-version ≥ 2023-10-01 (serverlessComputeSettings); absent settings mean no custom subnet, so the rule skips. */
export const rule: Rule = {
  id: 'AML-WS-013',
  title: 'Serverless compute in a custom subnet gets no public IP',
  severity: 'medium',
  resourceKind: 'workspace',
  rationale:
    'Serverless compute nodes placed in your subnet receive public IP addresses unless told otherwise, giving every job node a ' +
    'direct internet path that bypasses the network controls of that subnet.',
  remediation:
    'Set properties.serverlessComputeSettings.serverlessComputeNoPublicIP to true (ARM/Bicep, or serverless_compute.no_public_ip: true ' +
    'in the workspace YAML applied with az ml workspace update --file).',
  references: [learnRef('Model training on serverless compute', 'how-to-use-serverless-compute')],
  check(ws) {
    if (!str(get(ws, `${BASE}.serverlessComputeCustomSubnet`))) {
      return { status: 'skip', reason: 'serverless compute is not placed in a custom subnet' };
    }
    const v = get(ws, `${BASE}.serverlessComputeNoPublicIP`);
    // Missing means false, the service default.
    if (v === true) return { status: 'pass' };
    return { status: 'fail', path: `${BASE}.serverlessComputeNoPublicIP`, message: `Serverless compute uses a custom subnet but serverlessComputeNoPublicIP is ${show(v)}, so its nodes get public IPs.` };
  },
};
