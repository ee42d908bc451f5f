import type { Rule, RuleOptions } from '../types';
import { eqi, get, show } from '../_util';
import { learnRef } from '../workspace/_refs';

const PATH = 'properties.authMode';

/** Weakest to strongest: keys never expire, AML tokens do, Entra tokens also carry the caller's identity and RBAC. */
const MODES = [
  { rest: 'Key', option: 'key' },
  { rest: 'AMLToken', option: 'aml_token' },
  { rest: 'AADToken', option: 'aad_token' },
] as const;

function rankOfRest(v: unknown): number {
  return MODES.findIndex((m) => eqi(v, m.rest));
}

function minimumRank(options: RuleOptions): number {
  const i = MODES.findIndex((m) => m.option === options.endpointMinAuthMode);
  return i < 0 ? 1 : i; // default aml_token: key authentication fails
}

export const rule: Rule = {
  id: 'AML-OE-001',
  title: 'Online endpoint does not use key authentication',
  severity: 'high',
  resourceKind: 'onlineEndpoint',
  rationale:
    'Endpoint keys never expire and identify no caller: anyone holding one can score the model until it is regenerated. ' +
    'AML tokens expire, and Microsoft Entra tokens also tie each call to an identity and an RBAC role.',
  remediation:
    'Set properties.authMode to "AADToken" (auth_mode: aad_token in the endpoint YAML, az ml online-endpoint update … --set auth_mode=aad_token) ' +
    'and grant callers the "score" data action; use "AMLToken" only where Entra tokens cannot be obtained.',
  references: [
    learnRef('Authentication and authorization for online endpoints', 'concept-endpoints-online-auth'),
    learnRef('Authenticate clients for online endpoints', 'how-to-authenticate-online-endpoint'),
  ],
  check(ep, ctx) {
    const v = get(ep, PATH);
    // Missing means "Key", the service default for online endpoints.
    const rank = v === undefined ? 0 : rankOfRest(v);
    const min = minimumRank(ctx.options);
    if (rank >= min) return { status: 'pass' };
    const wanted = MODES[min].rest;
    if (rank === 0) {
      return { status: 'fail', path: PATH, message: `authMode is ${v === undefined ? 'not set (service default "Key")' : show(v)}: callers authenticate with keys that never expire; at least "${wanted}" is required.` };
    }
    if (rank < 0) return { status: 'fail', path: PATH, message: `authMode is ${show(v)}, which is not a known mode; at least "${wanted}" is required.` };
    return { status: 'fail', severity: 'medium', path: PATH, message: `authMode is ${show(v)}; the policy requires "${wanted}".` };
  },
};
