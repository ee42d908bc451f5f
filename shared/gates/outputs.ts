/** What every gate's outputs share: where they go beside the SARIF log, and the run facts in its evidence record. */
import { basename, dirname, join } from 'node:path';
import type { EvidenceInput } from '../report/evidence';
import type { Policy } from '../rules/policy';
import type { RunContext } from './securityGate/run';

/** The SARIF path without its `.sarif` / `.sarif.json` ending: evidence and summary files are named after it. */
export function outputBase(sarifPath: string): string {
  return join(dirname(sarifPath), basename(sarifPath).replace(/\.sarif(\.json)?$/i, ''));
}

/** The pipeline run, the source and the policy, as an evidence record states them. */
export function recordContext(context: RunContext, policy: Policy): Pick<EvidenceInput, 'pipeline' | 'source' | 'policy'> {
  return {
    pipeline: { runUrl: context.runUrl, definition: context.definition, runId: context.runId, attempt: context.attempt },
    source: { repository: context.repository, commit: context.commit, branch: context.branch },
    policy: policy.source ? { path: policy.source.path, sha256: policy.source.sha256 } : {},
  };
}
