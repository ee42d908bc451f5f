import { failsAt, type PolicyOutcome } from '../rules/policy';
import type { Finding } from '../rules/types';

/** One line per finding, worst first, as a terminal or an editor's problem matcher reads them (file:line:col). */
export function formatFindings(outcome: PolicyOutcome, opts: { quiet: boolean; known: number }): string {
  const shown = opts.quiet ? outcome.active.filter((f) => failsAt(f.severity, outcome.threshold)) : outcome.active;
  const lines = shown.map(line);
  const failing = outcome.active.filter((f) => failsAt(f.severity, outcome.threshold)).length;
  if (!opts.quiet) {
    const extra = [outcome.waived.length ? `${outcome.waived.length} waived` : '', opts.known ? `${opts.known} known from the baseline` : ''].filter(Boolean).join(', ');
    lines.push(`${outcome.active.length} finding${outcome.active.length === 1 ? '' : 's'}, ${failing} at or above ${outcome.threshold}${extra ? ` (${extra})` : ''}.`);
  }
  return lines.length ? `${lines.join('\n')}\n` : '';
}

function line(f: Finding): string {
  const where = f.location ? `${f.location.file}:${f.location.line}:${f.location.column}` : f.resourceId;
  const cell = f.location?.cell ? ` [cell ${f.location.cell.index + 1}${f.location.cell.part === 'output' ? ' output' : ''}]` : '';
  return `${where}${cell}: ${f.severity} ${f.ruleId} ${f.message}${f.preview ? ` (${f.preview})` : ''}`;
}
