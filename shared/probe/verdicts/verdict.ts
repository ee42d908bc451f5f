/** A check before its duration is known: what every verdict function returns. */
import type { ProbeCheck } from '../types';
import { describeFailure, type NetFailure } from '../observations';

export type Verdict = Omit<ProbeCheck, 'durationMs'>;

/** A probe that saw no answer it could judge. */
export function unreachable(ruleId: string, f: NetFailure, what: string): Verdict {
  return {
    ruleId,
    status: 'unreachable',
    message: `Could not ${what}: ${describeFailure(f)}.`,
    evidence: { failure: f.kind, phase: f.phase, ...(f.code ? { code: f.code } : {}) },
  };
}
