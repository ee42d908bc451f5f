import type { Rule } from '../types';
import { get, show } from '../_util';
import { policyRef, psruleRef } from '../workspace/_refs';
import { CLUSTER, INSTANCE, skipUnlessType } from './_computeType';

const PATH = 'properties.disableLocalAuth';

export const rule: Rule = {
  id: 'AML-CMP-001',
  title: 'Compute has local authentication disabled',
  severity: 'high',
  resourceKind: 'compute',
  rationale:
    'Local authentication (SSH keys and passwords on the nodes) bypasses Microsoft Entra ID, so access is neither centrally ' +
    'granted nor revocable and is invisible to conditional access.',
  remediation:
    'Create the compute with properties.disableLocalAuth true in its ARM/Bicep definition; the setting cannot be changed on an ' +
    'existing compute, so recreate it.',
  references: [
    policyRef('Azure Machine Learning computes should have local authentication methods disabled', 'DisableLocalAuth_Audit.json'),
    psruleRef('Azure.ML.DisableLocalAuth'),
  ],
  check(c) {
    const skip = skipUnlessType(c, [INSTANCE, CLUSTER]);
    if (skip) return skip;
    const v = get(c, PATH);
    // Missing means false, the service default.
    if (v === true) return { status: 'pass' };
    return { status: 'fail', path: PATH, message: `disableLocalAuth is ${v === undefined ? 'not set (service default false)' : show(v)}, so nodes accept local (non-Entra) credentials.` };
  },
};
