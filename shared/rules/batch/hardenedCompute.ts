import type { Rule } from '../types';
import { rule as localAuthDisabled } from '../compute/localAuthDisabled';
import { rule as virtualNetwork } from '../compute/virtualNetwork';
import { rule as nodePublicIp } from '../compute/nodePublicIp';
import { rule as publicSsh } from '../compute/publicSsh';
import { learnRef } from '../workspace/_refs';
import { computeRef, findCompute, judgeCompute } from '../endpoint/_compute';

/** The compute rules a batch cluster must pass, run as they are (AML-CMP-001..004). */
const COMPUTE_RULES = [localAuthDisabled, virtualNetwork, nodePublicIp, publicSsh];

export const rule: Rule = {
  id: 'AML-BD-001',
  title: 'Batch deployment runs on hardened compute',
  severity: 'medium',
  resourceKind: 'batchDeployment',
  rationale:
    'Batch jobs read the scoring data and write predictions on the deployment\'s cluster; a cluster with local accounts, public node IPs, ' +
    'open SSH or no virtual network exposes that data whatever the endpoint\'s own settings.',
  remediation:
    'Point properties.compute at a cluster that passes AML-CMP-001 to AML-CMP-004 (local auth disabled, in a VNet or managed VNet, no node ' +
    'public IP, SSH closed), creating a new cluster where those settings cannot be changed in place.',
  references: [
    learnRef('Deploy models for scoring in batch endpoints', 'how-to-use-batch-model-deployments'),
    learnRef('Create an Azure Machine Learning compute cluster', 'how-to-create-attach-compute-cluster'),
  ],
  check(dep, ctx) {
    const ref = computeRef(dep);
    if (!ref) return { status: 'skip', reason: 'the deployment names no compute' };
    const compute = findCompute(ref, ctx.inventory);
    if (!compute) return { status: 'skip', reason: `the compute ${ref} is not among the workspace computes that were read` };
    const verdicts = judgeCompute(compute, COMPUTE_RULES, ctx);
    const failed: string[] = [];
    for (const { rule: r, outcomes } of verdicts) {
      for (const o of outcomes) if (o.status === 'fail') failed.push(`${r.id} (${o.message})`);
    }
    // One finding per deployment: its fingerprint stays put while the compute's individual failures change.
    if (failed.length > 0) {
      return { status: 'fail', path: 'properties.compute', message: `Compute ${compute.name ?? compute.id} fails ${failed.join('; ')}` };
    }
    if (verdicts.every((v) => v.outcomes.every((o) => o.status === 'skip'))) {
      return { status: 'skip', reason: `compute ${compute.name ?? compute.id} is not a cluster or instance the compute rules judge` };
    }
    return { status: 'pass' };
  },
};
