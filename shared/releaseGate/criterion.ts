/**
 * The success criterion of the release gate: an Azure DevOps expression over the ARM response for one model
 * version (`GET …/models/{name}/versions/{version}`), true only when every required gate's tag says
 * `passed` and its digest tag equals the model's `mlops-gates.model-digest` tag.
 *
 * One function builds it for both places it is used: ModelEvidenceGate's task.json (gates switched by
 * boolean inputs, `$(requireSecurityGate)`…, which the server substitutes into the text before it parses
 * it) and the "Invoke REST API" environment check in docs/release-gate.md (a fixed list of gates). A server
 * task cannot run code, so everything must fit in the expression. What the expression relies on:
 *
 * - `root['a']['b']` indexes the JSON body; a missing key gives null (servertaskauthoring.md).
 * - `eq` and `ne` compare strings ignoring case (expressions.md). A status of `Passed` must not pass, so the
 *   status is matched inside `jsonpath`, whose filters compare strings ordinally. `jsonpath` returns a list
 *   and `count` counts it (servertaskauthoring.md, AzureMonitorV1). The filter `$.properties..[?(…)]`
 *   scans the `properties` object itself and what is below it: Json.NET's recursive-descent query, which
 *   is what the documented path syntax (`Items[?(@.price<50)]`, no `$`) points to. A filter on an object
 *   itself (`$.properties.tags[?(…)]`) would test its properties, never the object, so it cannot be used.
 *   Below `properties` lie only string maps (the asset's own properties, flavor data), so the one match is
 *   `properties` itself; the count must be exactly 1. A JSONPath engine that did not scan this way would
 *   find nothing, and the gate would fail closed.
 * - Digests are compared with `eq`: they are hex, so ignoring case cannot make two different digests equal.
 *   The model digest must be present and non-empty, or a gate without a digest tag would match it (null
 *   equals null).
 * - An input switches a gate off only when its value is the text `false` (any case). Anything else, an
 *   unexpanded macro included, leaves the gate required: the gate fails closed. At least one gate must stay
 *   required, or the criterion would hold for any model version.
 */
import { MODEL_DIGEST_TAG, PASSED, digestTag, isReleaseGate, statusTag, type ReleaseGate } from './gates';

export interface GateRequirement {
  gate: ReleaseGate;
  /** Boolean task input that drops the requirement when set to `false`; absent: always required. */
  switchInput?: string;
}

const INPUT_NAME = /^[A-Za-z][A-Za-z0-9]*$/;

/** An expression string literal: single quotes, a quote doubled. */
export function adoString(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/** A Json.NET JSONPath string literal: single quotes, backslash escapes. */
export function jsonPathString(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function tagValue(tag: string): string {
  return `root['properties']['tags'][${adoString(tag)}]`;
}

/** 1 when the gate's status tag is exactly `passed`, else 0 (see the header for the scan). */
function passedCount(gate: ReleaseGate): string {
  const path = `$.properties..[?(@.tags[${jsonPathString(statusTag(gate))}] == ${jsonPathString(PASSED)})]`;
  return `count(jsonpath(${adoString(path)}))`;
}

function gateClause(gate: ReleaseGate): string {
  return `and(eq(${passedCount(gate)}, 1), eq(${tagValue(digestTag(gate))}, ${tagValue(MODEL_DIGEST_TAG)}))`;
}

function switchedOff(input: string): string {
  return `eq('$(${input})', 'false')`;
}

function normalize(required: ReadonlyArray<ReleaseGate | GateRequirement>): GateRequirement[] {
  const list = required.map((r) => (typeof r === 'string' ? { gate: r } : r));
  if (list.length === 0) throw new Error('the release gate needs at least one required gate');
  const seen = new Set<string>();
  for (const r of list) {
    if (!isReleaseGate(r.gate)) throw new Error(`unknown gate ${JSON.stringify(r.gate)}`);
    if (seen.has(r.gate)) throw new Error(`gate ${r.gate} listed twice`);
    seen.add(r.gate);
    if (r.switchInput !== undefined && !INPUT_NAME.test(r.switchInput)) throw new Error(`invalid input name ${JSON.stringify(r.switchInput)}`);
  }
  return list;
}

/** The success criterion for these gates, as one line of Azure DevOps expression text. */
export function successCriterion(required: ReadonlyArray<ReleaseGate | GateRequirement>): string {
  const list = normalize(required);
  const parts = [`ne(coalesce(${tagValue(MODEL_DIGEST_TAG)}, ''), '')`];
  const switches = list.filter((r) => r.switchInput !== undefined).map((r) => r.switchInput as string);
  if (switches.length === list.length) {
    const stillRequired = switches.map((s) => `ne('$(${s})', 'false')`);
    parts.push(stillRequired.length === 1 ? stillRequired[0] : `or(${stillRequired.join(', ')})`);
  }
  for (const r of list) parts.push(r.switchInput ? `or(${switchedOff(r.switchInput)}, ${gateClause(r.gate)})` : gateClause(r.gate));
  return `and(${parts.join(', ')})`;
}
