import type { RuleCases } from '../../../shared/rules/types';
import { batchEndpoint } from '../fixtures';

export const cases: RuleCases = {
  ruleId: 'AML-BE-001',
  cases: [
    { name: 'Entra tokens', resource: batchEndpoint('bep', { authMode: 'AADToken' }), expect: 'pass' },
    { name: 'not set: the only mode batch supports', resource: batchEndpoint('bep', { authMode: undefined }), expect: 'pass' },
    { name: 'AML tokens declared (2025-09-01 example body)', resource: batchEndpoint('bep', { authMode: 'AMLToken' }), expect: 'fail' },
    { name: 'key declared', resource: batchEndpoint('bep', { authMode: 'Key' }), expect: 'fail' },
  ],
};
