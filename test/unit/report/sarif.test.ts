import * as assert from 'node:assert/strict';
import { applyPolicy, defaultPolicy } from '../../../shared/rules/policy';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FINGERPRINT_KEY, sarifLevel, toSarif, writeSarif, type SarifInput } from '../../../shared/report/sarif';
import { datastore, makeFinding, makeRule, WS } from '../policy/fixtures';
import type { Finding } from '../../../shared/rules/types';
import { sarifValidator } from '../../schemas/validators';


const RULES = [makeRule('AML-WS-001', 'critical', 'workspace'), makeRule('AML-DS-001', 'high'), makeRule('AML-DS-002', 'medium'), makeRule('AML-DS-003', 'low'), makeRule('AML-DS-004', 'info')];
const NOW = new Date('2026-06-01T12:00:00Z');

function scenario(order: 'forward' | 'reverse'): SarifInput {
  const findings = [
    makeFinding('AML-WS-001', WS, 'critical', 'properties.publicNetworkAccess'),
    makeFinding('AML-DS-001', datastore('legacy')),
    makeFinding('AML-DS-001', datastore('current')),
    makeFinding('AML-DS-002', datastore('current'), 'medium'),
    makeFinding('AML-DS-003', datastore('current'), 'low'),
    makeFinding('AML-DS-004', datastore('current'), 'info'),
  ];
  const policy = {
    ...defaultPolicy(),
    waivers: [{ rule: 'AML-DS-001', resource: '*/legacy', owner: 'data-platform@contoso.com', reason: 'Migration tracked in ADO#1234', expires: '2026-12-31' }],
  };
  const outcome = applyPolicy(RULES, order === 'forward' ? findings : [...findings].reverse(), policy, NOW);
  const rules = order === 'forward' ? RULES : [...RULES].reverse();
  return {
    tool: { name: 'MLOps Gates SecurityGate', version: '0.1.0', informationUri: 'https://github.com/mlops-gates/mlops-gates' },
    rules,
    findings: [...outcome.active, ...outcome.waived],
    runStartedAt: NOW,
    runFinishedAt: new Date(NOW.getTime() + 4200),
    invocationSucceeded: true,
    notifications: outcome.warnings.concat('Diagnostic settings could not be read; AML-WS-012 skipped.'),
  };
}

describe('SARIF log', () => {
  const validate = sarifValidator();

  it('is written result by result: the same log as toSarif, one compact result per line (none, one, many, with a baseline)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sarif-'));
    try {
      const base = scenario('forward');
      const many = Array.from({ length: 3000 }, (_, i) => makeFinding('AML-DS-002', datastore(`ds-${i}`), 'medium', `properties.x${i}`));
      const inputs: SarifInput[] = [
        { ...base, findings: [] },
        { ...base, findings: base.findings.slice(0, 1) },
        base,
        { ...base, findings: many, known: base.findings.slice(1, 3) },
        { ...base, findings: [], known: base.findings.slice(0, 2) },
      ];
      for (const [i, input] of inputs.entries()) {
        const file = join(dir, `${i}.sarif`);
        writeSarif(file, input);
        const text = readFileSync(file, 'utf8');
        const expected = toSarif(input);
        assert.deepEqual(JSON.parse(text), expected, `case ${i}`);
        // Everything but the results is indented as JSON.stringify(…, 2) would; each result is one line.
        const lines = text.split('\n');
        const results = lines.filter((l) => l.startsWith(`${' '.repeat(8)}{"ruleId"`));
        assert.equal(results.length, expected.runs[0].results.length, `case ${i}`);
        for (const [k, l] of results.entries()) assert.equal(l.trim().replace(/,$/, ''), JSON.stringify(expected.runs[0].results[k]), `case ${i}`);
        assert.equal(lines.length - results.length, JSON.stringify({ ...expected, runs: [{ ...expected.runs[0], results: [] }] }, null, 2).split('\n').length + (results.length ? 1 : 0), `case ${i}`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is valid against the official SARIF 2.1.0 schema', () => {
    const log = toSarif(scenario('forward'));
    assert.ok(validate(log), JSON.stringify(validate.errors, null, 2));
  });

  it('places content findings by file, line and notebook cell, and stays valid', () => {
    const file: Finding = {
      ...makeFinding('SEC-TEST-001', 'notebooks/train model.ipynb', 'critical'),
      resourceKind: 'file',
      location: { file: 'notebooks/train model.ipynb', line: 42, column: 17, endLine: 42, endColumn: 105, cell: { index: 3, part: 'output', outputIndex: 0 } },
      preview: 'Eby8…#3f9a2c1b',
    };
    const log = toSarif({ ...scenario('forward'), rules: [...RULES, { ...makeRule('SEC-TEST-001', 'critical'), tags: ['secret'] }], findings: [file] });
    assert.ok(validate(log), JSON.stringify(validate.errors, null, 2));
    const [r] = log.runs[0].results;
    assert.deepEqual(r.locations[0].physicalLocation, {
      artifactLocation: { uri: 'notebooks/train%20model.ipynb', uriBaseId: '%SRCROOT%' },
      region: { startLine: 42, startColumn: 17, endLine: 42, endColumn: 105 },
    });
    assert.equal(r.locations[0].logicalLocations![0].name, 'cell 4 output 1');
    assert.equal(r.properties.preview, 'Eby8…#3f9a2c1b');
    assert.equal(r.level, 'error');
  });

  it('stays valid with no findings, no end time and a failed invocation', () => {
    const log = toSarif({ ...scenario('forward'), findings: [], runFinishedAt: undefined, invocationSucceeded: false, notifications: [{ level: 'error', message: 'ARM returned 403' }] });
    assert.ok(validate(log), JSON.stringify(validate.errors, null, 2));
    const inv = log.runs[0].invocations[0];
    assert.equal(inv.executionSuccessful, false);
    assert.equal(inv.endTimeUtc, undefined);
    assert.deepEqual(inv.toolExecutionNotifications, [{ level: 'error', message: { text: 'ARM returned 403' } }]);
  });

  it('the validator rejects a broken log (the schema check can fail)', () => {
    const log = toSarif(scenario('forward')) as unknown as { runs: Array<{ results: Array<Record<string, unknown>> }> };
    log.runs[0].results[0].level = 'fatal';
    assert.equal(validate(log), false);
  });

  it('maps severities to levels', () => {
    assert.deepEqual(['critical', 'high', 'medium', 'low', 'info'].map((s) => sarifLevel(s as never)), ['error', 'error', 'warning', 'note', 'note']);
    const run = toSarif(scenario('forward')).runs[0];
    const levelOf = (ruleId: string) => run.results.find((r) => r.ruleId === ruleId)?.level;
    assert.deepEqual(['AML-WS-001', 'AML-DS-001', 'AML-DS-002', 'AML-DS-003', 'AML-DS-004'].map(levelOf), ['error', 'error', 'warning', 'note', 'note']);
  });

  it('describes every rule and links each result to it by index', () => {
    const run = toSarif(scenario('forward')).runs[0];
    const rules = run.tool.driver.rules;
    assert.deepEqual(rules.map((r) => r.id), ['AML-DS-001', 'AML-DS-002', 'AML-DS-003', 'AML-DS-004', 'AML-WS-001']);
    const ws = rules[4];
    assert.equal(ws.name, 'TitleOfAMLWS001');
    assert.equal(ws.shortDescription.text, 'Title of AML-WS-001');
    assert.equal(ws.fullDescription.text, 'Rationale for AML-WS-001, long enough to read.');
    assert.equal(ws.help.text, 'Remediation for AML-WS-001: set the property.');
    assert.equal(
      ws.help.markdown,
      'Remediation for AML-WS-001: set the property.\n\nReferences:\n\n- [Reference AML-WS-001](https://learn.microsoft.com/azure/machine-learning/aml-ws-001)',
    );
    assert.equal(ws.helpUri, 'https://learn.microsoft.com/azure/machine-learning/aml-ws-001');
    assert.deepEqual(ws.defaultConfiguration, { level: 'error' });
    assert.deepEqual(ws.properties, { severity: 'critical', tags: ['security', 'azure-machine-learning', 'workspace'], 'security-severity': '9.5' });
    for (const r of run.results) assert.equal(rules[r.ruleIndex ?? -1].id, r.ruleId);
  });

  it('locates results by ARM id and keeps the property path', () => {
    const r = toSarif(scenario('forward')).runs[0].results.find((x) => x.ruleId === 'AML-WS-001');
    assert.deepEqual(r?.locations, [{ logicalLocations: [{ fullyQualifiedName: WS, name: 'ws-prod', kind: 'resource' }] }]);
    assert.deepEqual(r?.properties, { severity: 'critical', resourceKind: 'datastore', propertyPath: 'properties.publicNetworkAccess' });
  });

  it('marks waived findings as accepted external suppressions and only those', () => {
    const results = toSarif(scenario('forward')).runs[0].results;
    const suppressed = results.filter((r) => r.suppressions);
    assert.equal(suppressed.length, 1);
    assert.equal(suppressed[0].locations[0].logicalLocations![0].name, 'legacy');
    assert.deepEqual(suppressed[0].suppressions, [
      { kind: 'external', status: 'accepted', justification: 'Migration tracked in ADO#1234', properties: { owner: 'data-platform@contoso.com', expires: '2026-12-31' } },
    ]);
  });

  it('is identical, fingerprints included, when findings and rules arrive in a different order', () => {
    const a = toSarif(scenario('forward'));
    const b = toSarif(scenario('reverse'));
    assert.deepEqual(a, b);
    const fps = a.runs[0].results.map((r) => r.partialFingerprints[FINGERPRINT_KEY]);
    assert.equal(new Set(fps).size, fps.length, 'fingerprints are distinct per finding');
    for (const fp of fps) assert.match(fp, /^[0-9a-f]{32}$/);
  });

  it('reports policy warnings as tool execution notifications', () => {
    const inv = toSarif(scenario('forward')).runs[0].invocations[0];
    assert.deepEqual(inv.toolExecutionNotifications, [{ level: 'warning', message: { text: 'Diagnostic settings could not be read; AML-WS-012 skipped.' } }]);
    assert.equal(inv.startTimeUtc, '2026-06-01T12:00:00.000Z');
    assert.equal(inv.endTimeUtc, '2026-06-01T12:00:04.200Z');
  });
});
