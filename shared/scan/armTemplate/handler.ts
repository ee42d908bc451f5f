/**
 * ARM templates in the repository judged by the live-audit rules, before deployment: the scanner core hands
 * every .json file to `applies`, and those that are templates to `scan`.
 */
import { ALL_RULES } from '../../rules/catalog';
import type { Finding, Rule, RuleMeta, RuleOptions } from '../../rules/types';
import type { TextHandler, TextHandlerContext } from '../options';
import { Evaluator } from './evaluator';
import { toContentFinding } from './findings';
import { buildInventories } from './inventory';
import { JsonSyntaxError, parseJson, prop, toPlain, type JsonDocument } from './json';
import { collectResources } from './resources';
import { NOT_FOR_TEMPLATES, rulesForTemplate } from './templateRules';
import { renderParts } from './unknown';
import { judge } from './worlds';

export type { TextHandler, TextHandlerContext };

export interface TextScanResult {
  findings: Finding[];
  /** Each names the file; the scan goes on. */
  warnings: string[];
}

export interface ArmTemplateConfig {
  /** Defaults to the whole catalog (ALL_RULES). */
  rules?: readonly Rule[];
  /** Evaluation time for time-based rules (connection expiry); defaults to the wall clock at each scan. */
  now?: () => Date;
  /** Policy options (allowedHosts, sensitiveData, …), as for the live audit. */
  options?: RuleOptions;
}

/** ARM refuses templates over 4 MB; anything far beyond that is not a template anyone deploys. */
export const MAX_TEMPLATE_CHARS = 8 * 1024 * 1024;

const SCHEMA_KEY = '"$schema"';

/**
 * True when the text's `$schema` names a deployment template (resource group, subscription, management group or
 * tenant: all end in `deploymentTemplate.json`). Looks at one key, never parses.
 */
export function looksLikeTemplate(text: string): boolean {
  let at = text.indexOf(SCHEMA_KEY);
  while (at >= 0) {
    let i = at + SCHEMA_KEY.length;
    while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\r' || text[i] === '\n')) i++;
    if (text[i] === ':') {
      i++;
      while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\r' || text[i] === '\n')) i++;
      if (text[i] === '"') {
        const end = text.indexOf('"', i + 1);
        const value = end < 0 ? '' : text.slice(i + 1, Math.min(end, i + 1 + 512));
        return value.toLowerCase().includes('deploymenttemplate.json');
      }
    }
    at = text.indexOf(SCHEMA_KEY, at + 1);
  }
  return false;
}

/** `infra/ws.json` → `ws.parameters.json` (relative to the template). */
export function parametersFileName(path: string): string {
  const base = path.slice(path.lastIndexOf('/') + 1);
  return `${base.toLowerCase().endsWith('.json') ? base.slice(0, -5) : base}.parameters.json`;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export interface ScanInput {
  /** Path relative to the scan root, forward slashes. */
  path: string;
  text: string;
  /** Text of the deployment parameters file beside the template, if any. */
  parametersText?: string;
}

export function scanArmTemplate(input: ScanInput, config: ArmTemplateConfig = {}): TextScanResult {
  const { path, text } = input;
  const warnings: string[] = [];
  if (text.length > MAX_TEMPLATE_CHARS) {
    return { findings: [], warnings: [`${path}: ARM template of ${text.length} characters is beyond ARM's 4 MB limit; it was not evaluated`] };
  }
  let doc: JsonDocument;
  try {
    doc = parseJson(text);
  } catch (err) {
    if (!(err instanceof JsonSyntaxError)) throw err;
    return { findings: [], warnings: [`${path}: not valid JSON (${err.message}); its ARM template rules were not evaluated`] };
  }
  const root = doc.root;
  const schema = prop(root, '$schema')?.value;
  if (root.kind !== 'object' || schema?.kind !== 'string' || !schema.value.toLowerCase().includes('deploymenttemplate.json')) {
    return { findings: [], warnings: [] };
  }
  const template = toPlain(root) as Record<string, unknown>;
  const parameterValues = readParameters(path, input.parametersText, warnings);
  const ev = new Evaluator(template, parameterValues);
  const collected = collectResources(doc, ev);
  const now = (config.now ?? (() => new Date()))();
  const all = config.rules ?? ALL_RULES;
  const byFingerprint = new Map<string, Finding>();
  let capped = false;
  const openObjects = new Set<string>();
  for (const ti of buildInventories(collected.resources)) {
    for (const s of ti.slots) {
      if (!s.object) continue;
      const src = ti.sources.get(s.resourceId.toLowerCase());
      openObjects.add(`resource '${src ? renderParts(src.fullName) : s.resourceId}' has ${s.path.join('.')} from ${s.causes.join(', ')}, which cannot be evaluated; rules that pass on a missing property could not check it`);
    }
    const result = judge(rulesForTemplate(all, ti.stub), ti, now, config.options ?? {});
    capped ||= result.capped;
    for (const j of result.judged) {
      const f = toContentFinding(j, path, ti.sources.get(j.finding.resourceId.toLowerCase()), doc);
      if (!byFingerprint.has(f.fingerprint)) byFingerprint.set(f.fingerprint, f);
    }
  }
  for (const n of [...collected.notes, ...ev.notes, ...openObjects]) warnings.push(`${path}: ${n}`);
  if (capped) warnings.push(`${path}: the template leaves too many values open to vary each one; some findings may be reported as definite that depend on deployment input`);
  const findings = [...byFingerprint.values()].sort(
    (a, b) => a.location!.line - b.location!.line || a.location!.column - b.location!.column || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0) || (a.fingerprint < b.fingerprint ? -1 : 1),
  );
  return { findings, warnings };
}

/** `parameters` of a deployment parameters file; a broken file is a warning, and the defaults are used. */
function readParameters(path: string, text: string | undefined, warnings: string[]): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  const name = parametersFileName(path);
  try {
    const parsed = toPlain(parseJson(text).root);
    const params = isObject(parsed) ? parsed.parameters : undefined;
    if (isObject(params)) return params;
    warnings.push(`${path}: ${name} has no "parameters" object; parameter defaults were used`);
  } catch (err) {
    if (!(err instanceof JsonSyntaxError)) throw err;
    warnings.push(`${path}: ${name} is not valid JSON (${err.message}); parameter defaults were used`);
  }
  return undefined;
}

/** The rules a template finding can carry, for SARIF rule descriptors. */
export function armTemplateRules(rules: readonly Rule[] = ALL_RULES): RuleMeta[] {
  return rules.filter((r) => !(r.id in NOT_FOR_TEMPLATES));
}

export function createArmTemplateHandler(config: ArmTemplateConfig = {}): TextHandler {
  return {
    id: 'arm-template',
    rules: armTemplateRules(config.rules),
    extensions: ['.json'],
    requires: SCHEMA_KEY,
    applies: (path, text) => path.toLowerCase().endsWith('.json') && looksLikeTemplate(text),
    scan(path: string, text: string, ctx?: TextHandlerContext): TextScanResult {
      try {
        const parametersText = ctx?.readSibling?.(parametersFileName(path));
        return scanArmTemplate({ path, text, parametersText }, config);
      } catch (err) {
        // A bug here must not stop the repository scan; it is reported and the other files are still scanned.
        return { findings: [], warnings: [`${path}: ARM template evaluation failed (${(err as Error).message}); its rules were not evaluated`] };
      }
    },
  };
}

export const armTemplateHandler: TextHandler = createArmTemplateHandler();
