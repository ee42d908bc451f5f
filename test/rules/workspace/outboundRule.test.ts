/** The FQDN heuristics of AML-WS-005, one host at a time (the case table covers the rule end to end). */
import * as assert from 'node:assert/strict';
import { broadFqdn, outboundProblem } from '../../../shared/rules/workspace/_outboundRule';

describe('AML-WS-005 outbound FQDN heuristics', () => {
  const broad = ['*', '*.com', '*.IO', '*.blob.core.windows.net', '*.core.windows.net', '*.s3.amazonaws.com', '*.azurewebsites.net', 'data*.contoso.com', '*.*.contoso.com', 'a.*.contoso.com'];
  const narrow = ['pypi.org', '*.pythonhosted.org', '*.anaconda.com', 'mlstore.blob.core.windows.net', '*.contoso.co.uk', ' *.pytorch.org '];
  for (const h of broad) it(`flags ${JSON.stringify(h)}`, () => assert.ok(broadFqdn(h), h));
  for (const h of narrow) it(`accepts ${JSON.stringify(h)}`, () => assert.equal(broadFqdn(h), undefined));

  it('names the rule and points at its destination', () => {
    const p = outboundProblem('allow-all', { type: 'FQDN', category: 'UserDefined', destination: '*' }, 'properties.managedNetwork.outboundRules');
    assert.equal(p?.path, 'properties.managedNetwork.outboundRules.allow-all.destination');
    assert.match(p?.message ?? '', /"allow-all".*"\*"/);
  });

  it('leaves service-created rules alone even when broad', () => {
    for (const category of ['Required', 'Recommended', 'Dependency']) {
      assert.equal(outboundProblem('sys', { type: 'FQDN', category, destination: '*' }, 'x'), undefined, category);
    }
  });

  it('reports a private-endpoint rule that names no target when an allow-list is set', () => {
    const rule = { type: 'PrivateEndpoint', category: 'UserDefined', destination: {} };
    assert.match(outboundProblem('pe', rule, 'x', ['/subscriptions/a/'])?.message ?? '', /"pe" targets not set/);
  });
});
