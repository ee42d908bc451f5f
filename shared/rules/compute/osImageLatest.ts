import type { Rule } from '../types';
import { show } from '../_util';
import { learnRef, policyRef } from '../workspace/_refs';
import { INSTANCE, inner, skipUnlessType } from './_computeType';

const PATH = 'properties.properties.osImageMetadata.isLatestOsImageVersion';

/**
 * Needs api-version ≥ 2023-04-01 (osImageMetadata; the 2022-10-01 SDK never sees it). A compute instance without it
 * was read at an older version or the service did not report it; "unknown" is not "outdated", so the rule skips.
 */
export const rule: Rule = {
  id: 'AML-CMP-005',
  title: 'Compute instance runs the latest OS image',
  severity: 'medium',
  resourceKind: 'compute',
  rationale:
    'Compute instances are not patched in place; an instance on an old image keeps the vulnerabilities fixed in newer images ' +
    'until it is recreated.',
  remediation:
    'Recreate the compute instance (delete and create it again, keeping data on the workspace file share) so it picks up the ' +
    'latest image; schedule this regularly.',
  references: [
    policyRef('Azure Machine Learning compute instances should be recreated to get the latest software updates', 'MachineLearningServices_ComputeInstanceUpdates_Audit.json'),
    learnRef('Vulnerability management for Azure Machine Learning', 'concept-vulnerability-management'),
  ],
  check(c) {
    const skip = skipUnlessType(c, [INSTANCE]);
    if (skip) return skip;
    const latest = inner(c, 'osImageMetadata.isLatestOsImageVersion');
    if (latest === true) return { status: 'pass' };
    if (latest === undefined || latest === null) {
      return { status: 'skip', reason: 'the service did not report osImageMetadata (needs api-version 2023-04-01 or later)' };
    }
    const current = inner(c, 'osImageMetadata.currentImageVersion');
    const newest = inner(c, 'osImageMetadata.latestImageVersion');
    return { status: 'fail', path: PATH, message: `The instance runs OS image ${show(current)} while ${show(newest)} is available.` };
  },
};
