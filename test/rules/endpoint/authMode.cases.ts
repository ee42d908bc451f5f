import type { RuleCases } from '../../../shared/rules/types';
import { onlineEndpoint } from '../fixtures';

export const cases: RuleCases = {
  ruleId: 'AML-OE-001',
  cases: [
    { name: 'Entra tokens', resource: onlineEndpoint('ep', { authMode: 'AADToken' }), expect: 'pass' },
    { name: 'AML tokens meet the default minimum (aml_token)', resource: onlineEndpoint('ep', { authMode: 'AMLToken' }), expect: 'pass' },
    { name: 'enum casing differs', resource: onlineEndpoint('ep', { authMode: 'amltoken' }), expect: 'pass' },
    { name: 'key authentication', resource: onlineEndpoint('ep', { authMode: 'Key' }), expect: 'fail', severity: 'high' },
    { name: 'authMode missing: service default Key', resource: onlineEndpoint('ep', { authMode: undefined }), expect: 'fail', severity: 'high' },
    { name: 'AML tokens below a policy minimum of aad_token', resource: onlineEndpoint('ep', { authMode: 'AMLToken' }), options: { endpointMinAuthMode: 'aad_token' }, expect: 'fail', severity: 'medium' },
    { name: 'key allowed by policy (endpointMinAuthMode key)', resource: onlineEndpoint('ep', { authMode: 'Key' }), options: { endpointMinAuthMode: 'key' }, expect: 'pass' },
    { name: 'unknown mode', resource: onlineEndpoint('ep', { authMode: 'Anonymous' }), expect: 'fail', severity: 'high' },
  ],
};
