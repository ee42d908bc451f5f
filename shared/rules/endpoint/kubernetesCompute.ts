import type { Rule, RuleOutcome } from '../types';
import { rule as kubernetesTls } from '../compute/kubernetesTls';
import { learnRef } from '../workspace/_refs';
import { computeRef, findCompute, judgeCompute } from './_compute';

export const rule: Rule = {
  id: 'AML-OE-005',
  title: 'Kubernetes online endpoint runs on a compute that serves inference over TLS',
  severity: 'high',
  resourceKind: 'onlineEndpoint',
  rationale:
    'A Kubernetes online endpoint is only as protected as the AzureML extension of its cluster: when that extension allows insecure ' +
    'connections or has no certificate, requests, responses and credentials cross the network in clear text.',
  remediation:
    'Fix the compute\'s AzureML extension as AML-CMP-012 describes (allowInsecureConnections=False, sslCname and sslSecret), or move the ' +
    'endpoint to a Kubernetes compute whose extension enforces TLS.',
  references: [learnRef('Configure a secure online endpoint with TLS/SSL', 'how-to-secure-kubernetes-online-endpoint')],
  check(ep, ctx) {
    const ref = computeRef(ep);
    if (!ref) return { status: 'skip', reason: 'a managed online endpoint (no properties.compute); TLS is always on' };
    const compute = findCompute(ref, ctx.inventory);
    if (!compute) return { status: 'skip', reason: `the compute ${ref} is not among the workspace computes that were read` };
    const [{ outcomes }] = judgeCompute(compute, [kubernetesTls], ctx);
    const fails = outcomes.filter((o): o is Extract<RuleOutcome, { status: 'fail' }> => o.status === 'fail');
    if (fails.length > 0) {
      return fails.map((f) => ({
        status: 'fail' as const,
        path: 'properties.compute',
        ...(f.severity ? { severity: f.severity } : {}),
        message: `The endpoint runs on compute ${compute.name ?? compute.id}, which fails ${kubernetesTls.id}: ${f.message}`,
      }));
    }
    if (outcomes.every((o) => o.status === 'skip')) {
      const reasons = outcomes.map((o) => (o.status === 'skip' ? o.reason : '')).join('; ');
      return { status: 'skip', reason: `${kubernetesTls.id} could not judge compute ${compute.name ?? compute.id}: ${reasons}` };
    }
    return { status: 'pass' };
  },
};
