import type { RuleCases } from '../../../shared/rules/types';
import { connection } from './_connections';

// Evaluation time 2026-06-01; connections were last modified 2026-05-01 unless a case says otherwise.
const key = (expiryTime: unknown, systemData: Record<string, unknown> = {}) =>
  connection('aoai-key', { category: 'AzureOpenAI', authType: 'ApiKey', target: 'https://aoai-ml.openai.azure.com/', expiryTime }, systemData);

export const cases: RuleCases = {
  ruleId: 'AML-CONN-002',
  now: '2026-06-01T00:00:00Z',
  cases: [
    { name: 'expires 60 days after it was set', resource: key('2026-06-30T08:00:00Z'), expect: 'pass' },
    { name: 'expires exactly at 90 days', resource: key('2026-07-30T08:00:00Z'), expect: 'pass' },
    { name: 'no expiryTime (never expires; also what older api-versions return)', resource: key(undefined), expect: 'fail' },
    { name: 'expiryTime null', resource: key(null), expect: 'fail' },
    { name: 'already expired', resource: key('2026-05-20T00:00:00Z'), expect: 'fail' },
    { name: 'a year after it was set', resource: key('2027-05-01T08:00:00Z'), expect: 'fail' },
    { name: 'lifetime counted from last modification, not from now', resource: key('2026-07-15T00:00:00Z', { lastModifiedAt: '2026-03-01T00:00:00Z' }), expect: 'fail' },
    { name: 'policy allows a year', resource: key('2027-04-30T00:00:00Z'), options: { connectionMaxLifetimeDays: 365 }, expect: 'pass' },
    { name: 'policy allows 30 days, set 7 days ago', resource: key('2026-06-20T00:00:00Z', { lastModifiedAt: '2026-05-25T00:00:00Z' }), options: { connectionMaxLifetimeDays: 30 }, expect: 'pass' },
    { name: 'policy allows 14 days', resource: key('2026-06-30T08:00:00Z'), options: { connectionMaxLifetimeDays: 14 }, expect: 'fail' },
    { name: 'no systemData (template): counted from now', resource: { ...key('2026-08-01T00:00:00Z'), systemData: undefined }, expect: 'pass' },
    { name: 'unparseable expiry', resource: key('next year'), expect: 'fail' },
    { name: 'identity-based connection needs no expiry', resource: connection('aoai', { category: 'AzureOpenAI', authType: 'AAD', target: 'https://aoai-ml.openai.azure.com/' }), expect: 'skip' },
  ],
};
