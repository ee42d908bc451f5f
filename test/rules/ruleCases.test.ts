/**
 * Runs every rule's case table. A rule is shipped only with a table that has at least one passing and one
 * failing case; this file finds the tables by convention (test/rules/<family>/<ruleFile>.cases.ts), so adding a
 * rule never means editing a list.
 */
import * as assert from 'node:assert/strict';
import { readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { ALL_RULES } from '../../shared/rules/catalog';
import { asOutcomes } from '../../shared/rules/engine';
import type { RuleCases, WorkspaceInventory } from '../../shared/rules/types';
import { baseInventory } from './fixtures';

const here = __dirname; // build/test/rules
const tables = new Map<string, RuleCases>();
for (const fam of readdirSync(here, { withFileTypes: true }).filter((d) => d.isDirectory())) {
  for (const f of readdirSync(join(here, fam.name)).filter((n) => n.endsWith('.cases.js'))) {
    const mod = require(join(here, fam.name, f)) as { cases: RuleCases };
    assert.ok(mod.cases, `${fam.name}/${f} exports no "cases"`);
    assert.ok(!tables.has(mod.cases.ruleId), `two case tables for ${mod.cases.ruleId}`);
    tables.set(mod.cases.ruleId, mod.cases);
  }
}

describe('rule catalog', () => {
  it('has unique ids and complete metadata', () => {
    const seen = new Set<string>();
    for (const r of ALL_RULES) {
      assert.ok(!seen.has(r.id), `duplicate rule id ${r.id}`);
      seen.add(r.id);
      assert.match(r.id, /^AML-[A-Z]+(-[A-Z]+)?-\d{3}$/);
      for (const k of ['title', 'rationale', 'remediation'] as const) assert.ok(r[k].trim().length > 10, `${r.id}: ${k} too short`);
      assert.ok(r.references.length >= 1, `${r.id}: no reference`);
      for (const ref of r.references) assert.match(ref.url, /^https:\/\//, `${r.id}: reference ${ref.title}`);
    }
  });

  it('every rule has a case table with passing and failing cases', () => {
    for (const r of ALL_RULES) {
      const t = tables.get(r.id);
      assert.ok(t, `${r.id} has no case table (test/rules/<family>/<file>.cases.ts)`);
      assert.ok(t.cases.some((c) => c.expect === 'pass'), `${r.id}: no passing case`);
      assert.ok(t.cases.some((c) => c.expect === 'fail'), `${r.id}: no failing case`);
    }
    for (const id of tables.keys()) assert.ok(ALL_RULES.some((r) => r.id === id), `case table for unknown rule ${id}`);
  });
});

for (const rule of ALL_RULES) {
  const table = tables.get(rule.id);
  if (!table) continue;
  describe(`${rule.id} ${rule.title}`, () => {
    for (const c of table.cases) {
      it(`${c.expect}: ${c.name}`, () => {
        const inventory: WorkspaceInventory = { ...baseInventory(), ...table.inventory, ...c.inventory };
        const now = new Date(table.now ?? '2026-06-01T00:00:00Z');
        const outcomes = asOutcomes(rule.check(c.resource, { inventory, now, options: c.options ?? {} }));
        const fails = outcomes.filter((o) => o.status === 'fail');
        const got = fails.length > 0 ? 'fail' : outcomes.every((o) => o.status === 'skip') ? 'skip' : 'pass';
        assert.equal(got, c.expect, JSON.stringify(outcomes));
        for (const f of fails) {
          if (f.status !== 'fail') continue;
          assert.ok(f.message.length > 10, 'failure message must say what is wrong');
          if (c.severity) assert.equal(f.severity ?? rule.severity, c.severity);
        }
      });
    }
  });
}
