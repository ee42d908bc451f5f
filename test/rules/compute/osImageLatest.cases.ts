import type { RuleCases } from '../../../shared/rules/types';
import { cluster, instance } from './_fixtures';

export const cases: RuleCases = {
  ruleId: 'AML-CMP-005',
  cases: [
    { name: 'latest image', resource: instance({ osImageMetadata: { currentImageVersion: '26.01.12', latestImageVersion: '26.01.12', isLatestOsImageVersion: true } }), expect: 'pass' },
    { name: 'outdated image', resource: instance({ osImageMetadata: { currentImageVersion: '25.06.14', latestImageVersion: '26.01.12', isLatestOsImageVersion: false } }), expect: 'fail' },
    { name: 'osImageMetadata not reported (2022-10-01 GET)', resource: instance({ applicationSharingPolicy: 'Personal' }), expect: 'skip' },
    { name: 'metadata without the flag', resource: instance({ osImageMetadata: { currentImageVersion: '25.06.14' } }), expect: 'skip' },
    { name: 'clusters are out of scope', resource: cluster({}), expect: 'skip' },
  ],
};
