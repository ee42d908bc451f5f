import type { Rule } from '../types';
import { inI, show } from '../_util';
import { MCSB_ML_BASELINE, learnRef } from '../workspace/_refs';
import { computeTypeOf } from './_computeType';

/** Attached compute types whose attachment stores a credential in the workspace (admin SSH account, Databricks PAT). */
const CREDENTIAL_TYPES = ['VirtualMachine', 'HDInsight', 'Databricks'];

/** Accepted exceptions are expressed as waivers on the compute's resource id, not as an option. */
export const rule: Rule = {
  id: 'AML-CMP-013',
  title: 'No attached compute that stores credentials in the workspace',
  severity: 'medium',
  resourceKind: 'compute',
  rationale:
    'Attaching a VM, HDInsight cluster or Databricks workspace stores an admin SSH credential or a personal access token in the ' +
    'workspace, where anyone allowed to use the compute uses that one long-lived secret.',
  remediation:
    'Detach the compute (az ml compute detach --name <c>) and use a compute cluster, serverless compute or Synapse Spark with ' +
    'managed identity; if it must stay, waive this finding with an owner and an expiry.',
  references: [
    learnRef('What are compute targets in Azure Machine Learning?', 'concept-compute-target'),
    {
      title: 'ARM template reference: workspaces/computes (administratorAccount, databricksAccessToken)',
      url: 'https://learn.microsoft.com/azure/templates/microsoft.machinelearningservices/workspaces/computes',
    },
    MCSB_ML_BASELINE,
  ],
  check(c) {
    const type = computeTypeOf(c);
    if (!inI(type, CREDENTIAL_TYPES)) return { status: 'pass' };
    return { status: 'fail', path: 'properties.computeType', message: `The attached ${show(type)} compute stores an admin credential or access token in the workspace.` };
  },
};
