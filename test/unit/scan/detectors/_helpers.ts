/**
 * Test harness for detectors: runs a detector the way the scanner core does (only when an anchor is present),
 * checks the contract on every match (offsets inside the text, rule id in the catalog, no secret in the
 * message), and records every message for the leak sweep.
 */
import * as assert from 'node:assert/strict';
import type { Detector, SecretMatch } from '../../../../shared/scan/types';
import { ALL_DETECTORS, detectorRules, hasAnchor, scanWithDetectors } from '../../../../shared/scan/detectors';

export const RULE_IDS = new Set(detectorRules().map((r) => r.id));
export const NOW = new Date('2026-06-01T00:00:00Z');

/** Every message a detector produced during the run, for the sweep in leak.test.ts. */
export const MESSAGES: Array<{ message: string; value: string }> = [];

function checkContract(d: Detector | undefined, text: string, m: SecretMatch): void {
  assert.ok(m.start >= 0 && m.end <= text.length && m.start < m.end, `offsets ${m.start}-${m.end} inside the text`);
  assert.ok(RULE_IDS.has(m.ruleId), `rule id ${m.ruleId} is in the catalog`);
  if (d) assert.ok([d.meta, ...(d.variants ?? [])].some((r) => r.id === m.ruleId), `${m.ruleId} is owned by ${d.meta.id}`);
  const value = text.slice(m.start, m.end);
  MESSAGES.push({ message: m.message, value });
  assertNoValueIn(m.message, value);
}

/** No 8-character (or whole, if shorter) piece of the value may appear in the output. */
export function assertNoValueIn(output: string, value: string): void {
  const n = Math.min(8, value.length);
  for (let i = 0; i + n <= value.length; i++) {
    const piece = value.slice(i, i + n);
    if (/^[A-Za-z]+$/u.test(piece) && piece.length < 12 && /^(?:[a-z]+|[A-Z][a-z]+)$/u.test(piece)) continue; // plain words
    assert.ok(!output.includes(piece), `output must not contain a piece of the secret value ("${output.slice(0, 80)}")`);
  }
}

/** Runs one detector on `text` as the scanner would: nothing when none of its anchors is present. */
export function run(d: Detector, text: string, path = 'src/app.py'): SecretMatch[] {
  if (!hasAnchor(text, d)) return [];
  const out = d.scan(text, { path, now: NOW } as never);
  for (const m of out) checkContract(d, text, m);
  // The scanner asks a detector's byte check first on file bytes: it must never rule out what scan() finds.
  if (d.mayMatchBytes && out.length && !/[^\x00-\xff]/u.test(text)) {
    const bytes = Buffer.from(text, 'latin1');
    assert.ok(d.mayMatchBytes(bytes, 0, bytes.length), `${d.meta.id}: mayMatchBytes ruled out a text its scan matches`);
  }
  return out;
}

/** Runs every detector (anchors, overlap resolution), as the content scan would. */
export function runAll(text: string, path = 'src/app.py'): SecretMatch[] {
  const out = scanWithDetectors(text, { path, now: NOW } as never);
  for (const m of out) checkContract(ALL_DETECTORS.find((d) => [d.meta, ...(d.variants ?? [])].some((r) => r.id === m.ruleId)), text, m);
  return out;
}

/** Asserts exactly one match, of `ruleId`, covering exactly `value` inside `text`. */
export function expectOne(matches: SecretMatch[], text: string, value: string, ruleId: string): SecretMatch {
  assert.equal(matches.length, 1, `one match expected, got ${matches.map((m) => m.ruleId).join(', ') || 'none'}`);
  const m = matches[0];
  assert.equal(m.ruleId, ruleId);
  assert.equal(m.start, text.indexOf(value), 'match starts at the value');
  assert.equal(m.end - m.start, value.length, 'match covers exactly the value');
  return m;
}

export function expectNone(matches: SecretMatch[], what: string): void {
  assert.deepEqual(matches.map((m) => `${m.ruleId}: ${m.message}`), [], `no match expected for ${what}`);
}
