import * as assert from 'node:assert/strict';
import { applyPolicy, defaultPolicy, effectiveThreshold, selectRules, type Policy, type Threshold } from '../../../shared/rules/policy';
import { globToRegExp, parseDay, type Waiver } from '../../../shared/rules/waivers';
import type { ArmResource, Rule, RuleContext, RuleOutcome, Severity } from '../../../shared/rules/types';
import { datastore, makeFinding, makeRule } from './fixtures';

const NOW = new Date('2026-06-01T12:00:00Z');
const RULES = [makeRule('AML-DS-001'), makeRule('AML-DS-002', 'medium'), makeRule('AML-WS-001', 'critical', 'workspace')];

function waiver(over: Partial<Waiver> = {}): Waiver {
  return { rule: 'AML-DS-001', owner: 'data-platform@contoso.com', reason: 'Migration tracked in ADO#1234', expires: '2026-12-31', ...over };
}

function policy(over: Partial<Policy> = {}): Policy {
  return { ...defaultPolicy(), ...over };
}

describe('waiver matching', () => {
  const cases: Array<[string, string, boolean]> = [
    ['*/datastores/legacy*', datastore('legacyFeed'), true],
    ['*/DATASTORES/LEGACY*', datastore('legacyfeed'), true],
    ['*/datastores/legacy*', datastore('current'), false],
    ['*/datastores/legacy', datastore('legacy2'), false], // anchored at the end
    ['/datastores/legacy*', datastore('legacy'), false], // anchored at the start
    ['*/datastores/leg?cy', datastore('legacy'), true],
    ['*/datastores/a.b', datastore('axb'), false], // dot is literal
    ['*/datastores/a+(b)', datastore('a+(b)'), true], // regex characters are literal
  ];
  for (const [glob, id, expected] of cases) {
    it(`${glob} ${expected ? 'matches' : 'does not match'} …${id.slice(-20)}`, () => assert.equal(globToRegExp(glob).test(id), expected));
  }

  it('parses only real calendar days', () => {
    assert.equal(parseDay('2028-02-29')?.toISOString(), '2028-02-29T00:00:00.000Z');
    for (const bad of ['2027-02-29', '2027-13-01', '2027-00-10', '2027-1-1', '27-01-01']) assert.equal(parseDay(bad), undefined, bad);
  });
});

describe('applyPolicy: waivers', () => {
  const legacy = makeFinding('AML-DS-001', datastore('legacy'));
  const other = makeFinding('AML-DS-001', datastore('current'));

  it('hides matching findings and leaves the rest active', () => {
    const out = applyPolicy(RULES, [legacy, other], policy({ waivers: [waiver({ resource: '*/datastores/legacy*' })] }), NOW);
    assert.deepEqual(out.active.map((f) => f.resourceId), [other.resourceId]);
    assert.deepEqual(out.waived.map((f) => f.resourceId), [legacy.resourceId]);
    assert.deepEqual(out.waived[0].waiver, { owner: 'data-platform@contoso.com', reason: 'Migration tracked in ADO#1234', expires: '2026-12-31', expiresSoon: false });
    assert.deepEqual(out.warnings, []);
    assert.equal(legacy.waiver, undefined, 'input findings are not mutated');
  });

  it('a waiver without resource covers every resource of its rule only', () => {
    const ws = makeFinding('AML-WS-001', '/subscriptions/s/resourceGroups/r/providers/Microsoft.MachineLearningServices/workspaces/w', 'critical');
    const out = applyPolicy(RULES, [legacy, other, ws], policy({ waivers: [waiver()] }), NOW);
    assert.equal(out.waived.length, 2);
    assert.deepEqual(out.active.map((f) => f.ruleId), ['AML-WS-001']);
  });

  // Fixed clock, waiver expires 2026-06-10 (inclusive, UTC), warnBeforeExpiryDays 14 unless stated.
  const timeline: Array<{ name: string; now: string; warnDays?: number; waived: boolean; soon?: boolean; warning?: RegExp }> = [
    { name: 'well before expiry', now: '2026-05-01T00:00:00Z', waived: true, soon: false },
    { name: 'within the warning window', now: '2026-06-01T12:00:00Z', waived: true, soon: true, warning: /expires on 2026-06-10 \(in 9 days\) and still hides 1 finding/ },
    { name: 'on its last day', now: '2026-06-10T23:59:59Z', waived: true, soon: true, warning: /expires on 2026-06-10 \(today\)/ },
    { name: 'the day after', now: '2026-06-11T00:00:00Z', waived: false, warning: /expired on 2026-06-10; its 1 finding count again/ },
    { name: 'inside the window but warnings off', now: '2026-06-09T00:00:00Z', warnDays: 0, waived: true, soon: false },
  ];
  for (const t of timeline) {
    it(`waiver ${t.name}`, () => {
      const p = policy({ waivers: [waiver({ resource: '*/legacy', expires: '2026-06-10', line: 12 })], warnBeforeExpiryDays: t.warnDays ?? 14 });
      const out = applyPolicy(RULES, [legacy], p, new Date(t.now));
      assert.equal(out.waived.length, t.waived ? 1 : 0);
      assert.equal(out.active.length, t.waived ? 0 : 1);
      if (t.waived) assert.equal(out.waived[0].waiver?.expiresSoon, t.soon);
      if (t.warning) {
        assert.equal(out.warnings.length, 1);
        assert.match(out.warnings[0], t.warning);
        assert.match(out.warnings[0], /Waiver for AML-DS-001 on "\*\/legacy" \(policy line 12\), owner data-platform@contoso\.com/);
      } else {
        assert.deepEqual(out.warnings, []);
      }
    });
  }

  it('an expired waiver fails the gate again for a high finding', () => {
    const p = policy({ waivers: [waiver({ expires: '2026-05-31' })] });
    assert.equal(applyPolicy(RULES, [legacy], p, NOW, 'high').verdict, 'failed');
    assert.equal(applyPolicy(RULES, [legacy], policy({ waivers: [waiver()] }), NOW, 'high').verdict, 'passed');
  });

  it('a later waiver in force wins over an expired one for the same finding', () => {
    const p = policy({ waivers: [waiver({ expires: '2026-01-01', owner: 'old-team' }), waiver({ owner: 'new-team' })] });
    const out = applyPolicy(RULES, [legacy], p, NOW);
    assert.equal(out.waived[0].waiver?.owner, 'new-team');
    assert.equal(out.warnings.length, 1);
    assert.match(out.warnings[0], /owner old-team expired on 2026-01-01 and matches no finding/);
  });

  it('warns about a stale waiver that matched nothing', () => {
    const out = applyPolicy(RULES, [other], policy({ waivers: [waiver({ resource: '*/datastores/gone' })] }), NOW);
    assert.deepEqual(out.active, [other]);
    assert.equal(out.warnings.length, 1);
    assert.match(out.warnings[0], /Waiver for AML-DS-001 on "\*\/datastores\/gone", owner data-platform@contoso\.com matched no finding \(stale\)/);
  });

  it('ignores waivers for rules this gate did not run (a shared policy file), but reports waivers of disabled rules', () => {
    const p = policy({
      rules: { 'AML-DS-002': { enabled: false } },
      waivers: [waiver({ rule: 'AML-EP-001' }), waiver({ rule: 'AML-DS-002' })],
    });
    const out = applyPolicy(selectRules(RULES, p), [], p, NOW);
    assert.equal(out.warnings.length, 1);
    assert.match(out.warnings[0], /Waiver for AML-DS-002 .* has no effect: the policy disables AML-DS-002/);
  });
});

describe('applyPolicy: severities, counts and verdict', () => {
  it('drops findings of disabled rules and applies severity overrides to every finding of the rule', () => {
    const p = policy({ rules: { 'AML-DS-002': { enabled: false }, 'AML-DS-001': { severity: 'low' } } });
    const findings = [
      makeFinding('AML-DS-001', datastore('a'), 'critical'), // a per-case severity from the rule is overridden too
      makeFinding('AML-DS-002', datastore('b'), 'medium'),
      makeFinding('AML-WS-001', datastore('c'), 'critical'),
    ];
    const out = applyPolicy(RULES, { findings }, p, NOW, 'high');
    assert.deepEqual(out.active.map((f) => [f.ruleId, f.severity]), [['AML-WS-001', 'critical'], ['AML-DS-001', 'low']]);
    assert.deepEqual(out.counts, { critical: 1, high: 0, medium: 0, low: 1, info: 0 });
    assert.equal(findings[0].severity, 'critical', 'input not mutated');
  });

  it('sorts active findings worst first, independent of input order', () => {
    const fs = [makeFinding('AML-DS-002', datastore('z'), 'medium'), makeFinding('AML-DS-001', datastore('b')), makeFinding('AML-DS-001', datastore('a'))];
    const a = applyPolicy(RULES, fs, policy(), NOW);
    const b = applyPolicy(RULES, [...fs].reverse(), policy(), NOW);
    assert.deepEqual(a, b);
    assert.deepEqual(a.active.map((f) => f.resourceId.slice(-1)), ['a', 'b', 'z']);
  });

  const verdicts: Array<[Threshold, Severity[], 'passed' | 'failed']> = [
    ['high', [], 'passed'],
    ['high', ['medium', 'low', 'info'], 'passed'],
    ['high', ['high'], 'failed'],
    ['high', ['critical'], 'failed'],
    ['critical', ['high'], 'passed'],
    ['low', ['low'], 'failed'],
    ['low', ['info'], 'passed'],
    ['none', ['critical', 'critical'], 'passed'],
  ];
  for (const [threshold, sevs, verdict] of verdicts) {
    it(`threshold ${threshold} with [${sevs.join(', ')}] → ${verdict}`, () => {
      const fs = sevs.map((s, i) => makeFinding('AML-DS-001', datastore(`d${i}`), s));
      const out = applyPolicy(RULES, fs, policy(), NOW, threshold);
      assert.equal(out.threshold, threshold);
      assert.equal(out.verdict, verdict);
    });
  }

  it('a waived critical finding does not fail the gate', () => {
    const out = applyPolicy(RULES, [makeFinding('AML-DS-001', datastore('x'), 'critical')], policy({ waivers: [waiver()] }), NOW, 'low');
    assert.equal(out.verdict, 'passed');
    assert.deepEqual(out.counts, { critical: 0, high: 0, medium: 0, low: 0, info: 0 });
  });

  it('uses the stricter of pipeline input and policy file', () => {
    const out = applyPolicy(RULES, [makeFinding('AML-DS-001', datastore('x'), 'medium')], policy({ failOnSeverity: 'medium' }), NOW, 'critical');
    assert.equal(out.threshold, 'medium');
    assert.equal(out.verdict, 'failed');
  });
});

describe('effectiveThreshold', () => {
  const table: Array<[Threshold | undefined, Threshold | undefined, Threshold]> = [
    [undefined, undefined, 'high'],
    ['critical', undefined, 'critical'],
    [undefined, 'low', 'low'],
    ['high', 'medium', 'medium'],
    ['medium', 'high', 'medium'], // a policy cannot relax the pipeline
    ['none', 'critical', 'critical'], // report-only input does not override a policy threshold
    ['low', 'none', 'low'], // nor can a policy turn a pipeline gate into report-only
    ['none', 'none', 'none'],
  ];
  for (const [input, pol, expected] of table) {
    it(`input ${input ?? '-'} + policy ${pol ?? '-'} → ${expected}`, () => assert.equal(effectiveThreshold(input, pol), expected));
  }
});

describe('selectRules', () => {
  it('drops disabled rules and overrides severity on copies', () => {
    const p = policy({ rules: { 'AML-DS-002': { enabled: false }, 'AML-WS-001': { severity: 'medium' }, 'AML-DS-001': { enabled: true } } });
    const out = selectRules(RULES, p);
    assert.deepEqual(out.map((r) => [r.id, r.severity]), [['AML-DS-001', 'high'], ['AML-WS-001', 'medium']]);
    assert.equal(RULES[2].severity, 'critical', 'the catalog rule is not mutated');
    assert.equal(out[0], RULES[0], 'unchanged rules are passed through');
  });

  it('keeps methods of rules written as classes', () => {
    class Probe implements Rule {
      id = 'AML-DS-009'; title = 'Probe rule title'; severity: Severity = 'high'; resourceKind = 'datastore' as const;
      rationale = 'r'; remediation = 'm'; references = [{ title: 't', url: 'https://example.org' }];
      check(resource: ArmResource, _ctx: RuleContext): RuleOutcome { return { status: 'fail', message: `${this.id} on ${resource.id}` }; }
    }
    const [copy] = selectRules([new Probe()], policy({ rules: { 'AML-DS-009': { severity: 'low' } } }));
    assert.equal(copy.severity, 'low');
    assert.deepEqual(copy.check({ id: '/x' }, {} as RuleContext), { status: 'fail', message: 'AML-DS-009 on /x' });
  });
});
