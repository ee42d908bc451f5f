/**
 * Reads the SARIF 2.1.0 logs the gates attach (shared/report/sarif.ts writes them) into table rows. Rule
 * remediation, rationale and references come from `tool.driver.rules`; waived findings are results with an
 * accepted suppression. Tolerant of members it does not know, strict about the ones it needs.
 */
import { isSeverity, type FindingRow, type Reference, type Severity } from './findings';

export interface SarifRun {
  gate: string;
  tool: string;
  version: string;
  executionSuccessful: boolean;
  notifications: Array<{ level: string; message: string }>;
  rules: Map<string, RuleInfo>;
}

export interface RuleInfo {
  id: string;
  title: string;
  rationale: string;
  remediation: string;
  references: Reference[];
  severity?: Severity;
}

export class AttachmentError extends Error {
  override name = 'AttachmentError';
}

type Json = Record<string, any>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** `[title](url)` links of a rule's help Markdown (titles lose their Markdown escapes). */
export function markdownLinks(md: string): Reference[] {
  const out: Reference[] = [];
  const re = /\[((?:\\.|[^\]\\])*)\]\(<?([^)\s>]+)>?\)/g;
  for (let m = re.exec(md); m; m = re.exec(md)) out.push({ title: m[1].replace(/\\(.)/g, '$1'), url: m[2] });
  return out;
}

function ruleInfo(r: Json): RuleInfo {
  const help = isObj(r.help) ? r.help : {};
  const refs = markdownLinks(str(help.markdown));
  const helpUri = str(r.helpUri);
  if (helpUri && !refs.some((x) => x.url === helpUri)) refs.unshift({ title: helpUri, url: helpUri });
  const sev = isObj(r.properties) ? r.properties.severity : undefined;
  return {
    id: str(r.id),
    title: str(r.shortDescription?.text) || str(r.name) || str(r.id),
    rationale: str(r.fullDescription?.text),
    remediation: str(help.text),
    references: refs,
    severity: isSeverity(sev) ? sev : undefined,
  };
}

function levelSeverity(level: unknown): Severity {
  return level === 'error' ? 'high' : level === 'warning' ? 'medium' : level === 'note' ? 'low' : 'info';
}

function locationOf(res: Json): string {
  const loc = Array.isArray(res.locations) && isObj(res.locations[0]) ? res.locations[0] : {};
  const phys = isObj(loc.physicalLocation) ? loc.physicalLocation : undefined;
  if (phys) {
    let uri = str(phys.artifactLocation?.uri);
    try {
      uri = decodeURI(uri);
    } catch {
      /* shown as written */
    }
    const reg = isObj(phys.region) ? phys.region : {};
    const cell = Array.isArray(loc.logicalLocations) && isObj(loc.logicalLocations[0]) ? ` (${str(loc.logicalLocations[0].name)})` : '';
    return `${uri}${typeof reg.startLine === 'number' ? `:${reg.startLine}` : ''}${typeof reg.startColumn === 'number' ? `:${reg.startColumn}` : ''}${cell}`;
  }
  const logical = Array.isArray(loc.logicalLocations) && isObj(loc.logicalLocations[0]) ? loc.logicalLocations[0] : {};
  return str(logical.fullyQualifiedName) || str(logical.name);
}

/**
 * Rows of one gate's SARIF log. `firstId` numbers them after the rows of logs read before.
 * Throws an AttachmentError naming the attachment when the text is not a SARIF 2.1.0 log.
 */
export function parseSarif(text: string, attachment: string, gate: string, firstId = 0): { run: SarifRun; rows: FindingRow[] } {
  let log: unknown;
  try {
    log = JSON.parse(text);
  } catch (e) {
    throw new AttachmentError(`${attachment} is not JSON (${(e as Error).message})`);
  }
  if (!isObj(log) || log.version !== '2.1.0' || !Array.isArray(log.runs)) throw new AttachmentError(`${attachment} is not a SARIF 2.1.0 log (no version "2.1.0" and runs list)`);
  const rows: FindingRow[] = [];
  const run: SarifRun = { gate, tool: '', version: '', executionSuccessful: true, notifications: [], rules: new Map() };
  for (const r of log.runs) {
    if (!isObj(r)) continue;
    const driver = isObj(r.tool?.driver) ? r.tool.driver : {};
    run.tool = str(driver.name);
    run.version = str(driver.version);
    for (const rule of Array.isArray(driver.rules) ? driver.rules : []) if (isObj(rule)) run.rules.set(str(rule.id), ruleInfo(rule));
    for (const inv of Array.isArray(r.invocations) ? r.invocations : []) {
      if (!isObj(inv)) continue;
      if (inv.executionSuccessful === false) run.executionSuccessful = false;
      for (const n of Array.isArray(inv.toolExecutionNotifications) ? inv.toolExecutionNotifications : []) {
        if (isObj(n)) run.notifications.push({ level: str(n.level) || 'warning', message: str(n.message?.text) });
      }
    }
    for (const res of Array.isArray(r.results) ? r.results : []) {
      if (!isObj(res)) continue;
      const ruleId = str(res.ruleId);
      const rule = run.rules.get(ruleId);
      const props = isObj(res.properties) ? res.properties : {};
      const severity: Severity = isSeverity(props.severity) ? props.severity : rule?.severity ?? levelSeverity(res.level);
      const sup = Array.isArray(res.suppressions) ? res.suppressions.find((s: unknown) => isObj(s) && (s.status === undefined || s.status === 'accepted')) : undefined;
      const location = locationOf(res);
      const message = str(res.message?.text);
      const waiver = sup ? { reason: str(sup.justification), owner: str(sup.properties?.owner), expires: str(sup.properties?.expires) } : undefined;
      rows.push({
        id: firstId + rows.length,
        gate,
        severity,
        ruleId,
        ruleTitle: rule?.title ?? ruleId,
        location,
        message,
        waived: Boolean(sup),
        waiver,
        baseline: str(res.baselineState) || undefined,
        remediation: rule?.remediation ?? '',
        rationale: rule?.rationale ?? '',
        references: rule?.references ?? [],
        preview: str(props.preview) || undefined,
        search: `${gate} ${severity} ${ruleId} ${rule?.title ?? ''} ${location} ${message} ${sup ? 'waived' : 'active'} ${waiver?.owner ?? ''}`.toLowerCase(),
      });
    }
  }
  return { run, rows };
}
