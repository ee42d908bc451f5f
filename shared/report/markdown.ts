/**
 * The Markdown summary shown on the Azure DevOps run page (`task.uploadsummary`). Every value that comes from
 * a resource, a rule message or the policy file goes through `escapeMarkdown` / `mdLink`; only the fixed
 * skeleton below is raw Markdown.
 */
import { failsAt, type PolicyOutcome, type Threshold } from '../rules/policy';
import { SEVERITIES, type Finding, type Severity } from '../rules/types';
import { escapeMarkdown, mdLink } from './markdownEscape';
import { portalUrl, PUBLIC_PORTAL, shortName } from './portal';

export interface SummaryInput {
  /** Display name and version of the gate, e.g. SecurityGate 0.1.0. */
  gate: { name: string; version?: string };
  outcome: PolicyOutcome;
  /** The audited workspace (ARM id) and its display name; absent when the run only scanned files. */
  workspace?: { id: string; name?: string };
  /** The content scan, when the run scanned files: what was read, and how many findings the baseline already knew. */
  scan?: { root: string; files: number; bytes: number; known: number };
  run?: { url?: string; label?: string };
  /** Portal origin for links; sovereign clouds use their own (https://portal.azure.us, https://portal.azure.cn). */
  portalBaseUrl?: string | null;
  /** Rows per table before the rest is left to the SARIF log. Default 200. */
  maxRows?: number;
  /** Named in the "more rows" line. */
  sarifFileName?: string;
  policyPath?: string;
  generatedAt?: Date;
  /** Why the audit could not run (the gate then fails closed); shown right under the verdict. */
  error?: string;
  /**
   * Gate-specific sections (probe results, monitoring, who may invoke), each already Markdown with every
   * value escaped (titles are the gate's own words), placed after the findings.
   */
  sections?: Array<{ title: string; lines: string[] }>;
}

export const DEFAULT_MAX_ROWS = 200;

const LABEL: Record<Severity, string> = { critical: 'Critical', high: 'High', medium: 'Medium', low: 'Low', info: 'Info' };

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function verdictLine(gate: string, outcome: PolicyOutcome, error: string | undefined): string {
  const t: Threshold = outcome.threshold;
  const icon = outcome.verdict === 'passed' ? '✅' : '❌';
  if (error) return `## ${icon} ${gate} ${outcome.verdict}: the audit could not run`;
  if (t === 'none') {
    return `## ${icon} ${gate} ${outcome.verdict}: report only (threshold none), ${plural(outcome.active.length, 'finding')}`;
  }
  const failing = outcome.active.filter((f) => failsAt(f.severity, t)).length;
  return `## ${icon} ${gate} ${outcome.verdict}: ${plural(failing, 'finding')} at or above ${t}`;
}

function countsTable(outcome: PolicyOutcome): string[] {
  const waived: Record<string, number> = {};
  for (const f of outcome.waived) waived[f.severity] = (waived[f.severity] ?? 0) + 1;
  return [
    '| Severity | Active | Waived |',
    '|---|--:|--:|',
    ...SEVERITIES.map((s) => `| ${LABEL[s]} | ${outcome.counts[s]} | ${waived[s] ?? 0} |`),
  ];
}

function resourceCell(f: Finding, portalBase: string | null): string {
  if (f.location) {
    const l = f.location;
    const cell = l.cell ? ` (cell ${l.cell.index + 1}${l.cell.part === 'output' ? ', output' : ''})` : '';
    const where = `${escapeMarkdown(l.file)}:${l.line}${cell}`;
    return f.preview ? `${where} \`${escapeMarkdown(f.preview, 40).replace(/`/g, '')}\`` : where;
  }
  return mdLink(shortName(f.resourceId), portalBase ? portalUrl(f.resourceId, portalBase) : undefined);
}

function ruleCell(f: Finding): string {
  return `${escapeMarkdown(f.ruleId)} ${escapeMarkdown(f.title, 120)}`;
}

function moreLine(hidden: number, what: string, sarif: string | undefined): string[] {
  if (hidden <= 0) return [];
  return ['', `… and ${plural(hidden, `more ${what}`)} in the SARIF log${sarif ? ` (${escapeMarkdown(sarif)})` : ''}.`];
}

export function toMarkdownSummary(input: SummaryInput): string {
  const { outcome } = input;
  const portal = input.portalBaseUrl === undefined ? PUBLIC_PORTAL : input.portalBaseUrl;
  const max = Math.max(0, input.maxRows ?? DEFAULT_MAX_ROWS);
  const gate = escapeMarkdown(input.gate.name);
  const out: string[] = [verdictLine(gate, outcome, input.error), ''];
  if (input.error) out.push(`**Error:** ${escapeMarkdown(input.error, 2000)}`, '');
  out.push(...countsTable(outcome), '');

  out.push(`### Findings (${outcome.active.length})`, '');
  if (outcome.active.length === 0) {
    out.push('No active findings.');
  } else {
    out.push('| Severity | Rule | Resource | Finding |', '|---|---|---|---|');
    for (const f of outcome.active.slice(0, max)) {
      out.push(`| ${LABEL[f.severity]} | ${ruleCell(f)} | ${resourceCell(f, portal)} | ${escapeMarkdown(f.message)} |`);
    }
    out.push(...moreLine(outcome.active.length - max, 'finding', input.sarifFileName));
  }
  out.push('');

  if (outcome.waived.length > 0) {
    out.push(`### Waived findings (${outcome.waived.length})`, '');
    out.push('| Severity | Rule | Resource | Owner | Expires | Reason |', '|---|---|---|---|---|---|');
    for (const f of outcome.waived.slice(0, max)) {
      const w = f.waiver;
      const expires = w ? `${escapeMarkdown(w.expires)}${w.expiresSoon ? ' ⚠️ soon' : ''}` : '';
      out.push(
        `| ${LABEL[f.severity]} | ${ruleCell(f)} | ${resourceCell(f, portal)} | ${escapeMarkdown(w?.owner ?? '')} | ${expires} | ${escapeMarkdown(w?.reason ?? '')} |`,
      );
    }
    out.push(...moreLine(outcome.waived.length - max, 'waived finding', input.sarifFileName), '');
  }

  for (const section of input.sections ?? []) out.push(`### ${section.title}`, '', ...section.lines, '');

  const warnings = outcome.warnings.filter((w) => w !== input.error); // the error is already shown on top
  if (warnings.length > 0) {
    out.push(`### Warnings (${warnings.length})`, '');
    for (const w of warnings) out.push(`- ⚠️ ${escapeMarkdown(w, 1000)}`);
    out.push('');
  }

  if (input.scan?.known) {
    out.push(`${plural(input.scan.known, 'known finding')} from the baseline file ${input.scan.known === 1 ? 'is' : 'are'} not counted (listed in the SARIF log as unchanged).`, '');
  }

  const footer: string[] = [];
  if (input.workspace) {
    footer.push(`Workspace ${mdLink(input.workspace.name ?? shortName(input.workspace.id), portal ? portalUrl(input.workspace.id, portal) : undefined)}`);
  }
  if (input.scan) footer.push(`scanned ${plural(input.scan.files, 'file')} (${(input.scan.bytes / 1e6).toFixed(1)} MB) under ${escapeMarkdown(input.scan.root)}`);
  if (input.run?.url || input.run?.label) footer.push(`run ${mdLink(input.run.label ?? 'link', input.run.url)}`);
  if (input.policyPath) footer.push(`policy ${escapeMarkdown(input.policyPath)}`);
  footer.push(`${gate}${input.gate.version ? ` ${escapeMarkdown(input.gate.version)}` : ''}`);
  if (input.generatedAt) footer.push(input.generatedAt.toISOString());
  out.push('---', '', footer.join(' · '), '');
  return out.join('\n');
}
