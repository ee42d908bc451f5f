import type { RuleCases } from '../../../shared/rules/types';
import { onlineEndpoint } from '../fixtures';

export const cases: RuleCases = {
  ruleId: 'AML-OE-003',
  cases: [
    { name: 'managed endpoint, both URIs https', resource: onlineEndpoint('ep'), expect: 'pass' },
    { name: 'Kubernetes endpoint without TLS: http scoring URI', resource: onlineEndpoint('ep', { scoringUri: 'http://10.0.0.4/api/v1/endpoint/ep/score' }), expect: 'fail' },
    { name: 'swagger URI over http only', resource: onlineEndpoint('ep', { swaggerUri: 'HTTP://10.0.0.4/swagger.json' }), expect: 'fail' },
    { name: 'upper-case scheme is still https', resource: onlineEndpoint('ep', { scoringUri: 'HTTPS://ep.eastus2.inference.ml.azure.com/score', swaggerUri: null }), expect: 'pass' },
    { name: 'no URIs reported yet', resource: onlineEndpoint('ep', { scoringUri: undefined, swaggerUri: undefined }), expect: 'skip' },
  ],
};
