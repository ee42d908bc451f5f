import type { RuleCases } from '../../../shared/rules/types';
import { cluster, instance } from './_fixtures';

export const cases: RuleCases = {
  ruleId: 'AML-CMP-009',
  cases: [
    { name: 'root off, patching on', resource: instance({ enableRootAccess: false, enableOSPatching: true, enableSSO: true }), expect: 'pass' },
    { name: 'root on (as in the 2025-06-01 example)', resource: instance({ enableRootAccess: true, enableOSPatching: true }), expect: 'fail' },
    { name: 'patching off', resource: instance({ enableRootAccess: false, enableOSPatching: false }), expect: 'fail' },
    { name: 'only root reported, and off', resource: instance({ enableRootAccess: false }), expect: 'pass' },
    { name: 'only patching reported, and off', resource: instance({ enableOSPatching: false }), expect: 'fail' },
    { name: 'neither flag reported (older api-version)', resource: instance({ applicationSharingPolicy: 'Personal' }), expect: 'skip' },
    { name: 'clusters are out of scope', resource: cluster({}), expect: 'skip' },
  ],
};
