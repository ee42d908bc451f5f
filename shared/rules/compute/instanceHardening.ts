import type { Rule, RuleOutcome } from '../types';
import { learnRef } from '../workspace/_refs';
import { INSTANCE, inner, skipUnlessType } from './_computeType';

/**
 * enableRootAccess and enableOSPatching appear in the stable 2025-06-01 examples but Azure/bicep-types-az lists them
 * only for preview api-versions. Their service defaults (root on) cannot be assumed from an older GET, so each flag is
 * judged only when reported, and the rule skips when neither is.
 */
export const rule: Rule = {
  id: 'AML-CMP-009',
  title: 'Compute instance denies root access and patches its OS',
  severity: 'medium',
  resourceKind: 'compute',
  rationale:
    'Root (sudo) on an instance lets any notebook code change the OS and read other processes\' tokens; automatic OS patching ' +
    'keeps a long-lived instance from accumulating known vulnerabilities.',
  remediation:
    'Create the instance with properties.properties.enableRootAccess false and enableOSPatching true (enable_root_access: false, ' +
    'enable_os_patching: true in the compute YAML); recreate existing instances.',
  references: [
    learnRef('Create an Azure Machine Learning compute instance', 'how-to-create-compute-instance'),
    learnRef('Vulnerability management for Azure Machine Learning', 'concept-vulnerability-management'),
  ],
  check(c) {
    const skip = skipUnlessType(c, [INSTANCE]);
    if (skip) return skip;
    const root = inner(c, 'enableRootAccess');
    const patch = inner(c, 'enableOSPatching');
    if (typeof root !== 'boolean' && typeof patch !== 'boolean') {
      return { status: 'skip', reason: 'the service did not report enableRootAccess or enableOSPatching at this api-version' };
    }
    const out: RuleOutcome[] = [];
    if (root === true) out.push({ status: 'fail', path: 'properties.properties.enableRootAccess', message: 'enableRootAccess is true, so code on the instance can gain root.' });
    if (patch === false) out.push({ status: 'fail', path: 'properties.properties.enableOSPatching', message: 'enableOSPatching is false, so the instance OS is not patched automatically.' });
    return out.length > 0 ? out : { status: 'pass' };
  },
};
