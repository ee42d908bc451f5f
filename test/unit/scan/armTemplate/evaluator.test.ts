import * as assert from 'node:assert/strict';
import { Evaluator } from '../../../../shared/scan/armTemplate/evaluator';
import { classify, ExpressionError, parseExpression, printExpr } from '../../../../shared/scan/armTemplate/expression';
import { RESOURCE_GROUP, RESOURCE_GROUP_ID, SUBSCRIPTION_ID } from '../../../../shared/scan/armTemplate/placeholders';
import { isUnknown, render, type Unknown } from '../../../../shared/scan/armTemplate/unknown';

function ev(template: Record<string, unknown> = {}, values?: Record<string, unknown>): Evaluator {
  return new Evaluator(template, values);
}

function unknown(v: unknown): Unknown {
  assert.ok(isUnknown(v), `expected an unknown value, got ${JSON.stringify(v)}`);
  return v;
}

describe('armTemplate expressions', () => {
  it('tells expressions from literals, with [[ as the escape', () => {
    assert.deepEqual(classify("[concat('a')]"), { kind: 'expression', source: "concat('a')" });
    assert.deepEqual(classify('[[not an expression]'), { kind: 'literal', value: '[not an expression]' });
    assert.deepEqual(classify('[half'), { kind: 'literal', value: '[half' });
    assert.deepEqual(classify('plain'), { kind: 'literal', value: 'plain' });
  });

  it('parses calls, properties, indexes and quoted quotes, and prints one canonical form', () => {
    const e = parseExpression("  Concat( 'it''s' ,parameters('p').a[0] , 12 )");
    assert.equal(printExpr(e), "concat('it''s', parameters('p').a[0], 12)");
    assert.equal(printExpr(parseExpression('ns.myFunc(1)')), 'ns.myfunc(1)');
    assert.equal(printExpr(parseExpression("resourceGroup().location")), 'resourcegroup().location');
    for (const bad of ["concat('a'", "'open", 'concat(,)', "concat('a') extra", '']) {
      assert.throws(() => parseExpression(bad), ExpressionError, bad);
    }
  });

  it('evaluates string, logic and comparison functions', () => {
    const e = ev();
    const cases: Array<[string, unknown]> = [
      ["[concat('st', 'ml', 1)]", 'stml1'],
      ["[concat(createArray(1), createArray(2, 3))]", [1, 2, 3]],
      ["[format('{0}-{1}-{{x}}', 'a', 42)]", 'a-42-{x}'],
      ["[format('{0:D3}', 7)]", '7'],
      ["[toLower('AbC')]", 'abc'],
      ["[toUpper('abc')]", 'ABC'],
      ["[if(equals('a', 'a'), 'yes', 'no')]", 'yes'],
      ["[equals('a', 'A')]", false],
      ["[not(bool('false'))]", true],
      ["[and(true(), or(false(), bool(1)))]", true],
      ["[empty('')]", true],
      ["[contains(createArray('x', 'y'), 'y')]", true],
      ["[startsWith('Standard_DS3', 'standard')]", true],
      ["[length(split('a/b/c', '/'))]", 3],
      ["[string(createObject('k', 1))]", '{"k":1}'],
      ["[json('{\"a\":[1]}').a[0]]", 1],
      ["[coalesce(null(), 'b')]", 'b'],
      ["[union(createObject('a', 1), createObject('b', 2))]", { a: 1, b: 2 }],
      ["[replace('a-b-c', '-', '')]", 'abc'],
      ["[substring('abcdef', 1, 3)]", 'bcd'],
      ["[add(1, mul(2, 3))]", 7],
      ["[last(createArray(1, 2))]", 2],
      ["[[literal]", '[literal]'],
    ];
    for (const [expr, want] of cases) assert.deepEqual(e.string(expr), want, expr);
  });

  it('gives ids and deployment functions placeholder subscription, group and tenant', () => {
    const e = ev();
    assert.equal(e.string('[subscription().subscriptionId]'), SUBSCRIPTION_ID);
    assert.equal(e.string('[resourceGroup().name]'), RESOURCE_GROUP);
    assert.equal(e.string('[resourceGroup().id]'), RESOURCE_GROUP_ID);
    assert.equal(e.string("[resourceId('Microsoft.Storage/storageAccounts', 'st1')]"), `${RESOURCE_GROUP_ID}/providers/Microsoft.Storage/storageAccounts/st1`);
    assert.equal(
      e.string("[resourceId('Microsoft.MachineLearningServices/workspaces/computes', 'ws', 'cpu')]"),
      `${RESOURCE_GROUP_ID}/providers/Microsoft.MachineLearningServices/workspaces/ws/computes/cpu`,
    );
    assert.equal(e.string("[resourceId('other-rg', 'Microsoft.KeyVault/vaults', 'kv')]"), `/subscriptions/${SUBSCRIPTION_ID}/resourceGroups/other-rg/providers/Microsoft.KeyVault/vaults/kv`);
    assert.equal(e.string("[resourceId('sub2', 'rg2', 'Microsoft.KeyVault/vaults', 'kv')]"), '/subscriptions/sub2/resourceGroups/rg2/providers/Microsoft.KeyVault/vaults/kv');
    assert.equal(e.string("[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'g')]"), `/subscriptions/${SUBSCRIPTION_ID}/providers/Microsoft.Authorization/roleDefinitions/g`);
    assert.equal(e.string("[extensionResourceId('/x/y', 'Microsoft.Insights/diagnosticSettings', 'd')]"), '/x/y/providers/Microsoft.Insights/diagnosticSettings/d');
    assert.equal(e.string('[environment().suffixes.storage]'), 'core.windows.net');
  });

  it('makes uniqueString and guid deterministic, distinct per input and shaped like ARM output', () => {
    const a = ev().string('[uniqueString(resourceGroup().id)]');
    assert.equal(a, ev().string('[uniqueString(resourceGroup().id)]'));
    assert.match(String(a), /^[a-z2-7]{13}$/);
    assert.notEqual(a, ev().string("[uniqueString('other')]"));
    assert.match(String(ev().string("[guid('a', 'b')]")), /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });

  it('reads parameters from a parameters file, else defaultValue (itself evaluated), and variables', () => {
    const template = {
      parameters: {
        Name: { type: 'string', defaultValue: "[concat('ws-', variables('suffix'))]" },
        sku: { type: 'string', defaultValue: 'Basic' },
      },
      variables: { suffix: 'prod', obj: { inner: "[parameters('sku')]" } },
    };
    assert.equal(ev(template).string("[parameters('name')]"), 'ws-prod');
    assert.equal(ev(template).string("[variables('obj').inner]"), 'Basic');
    assert.equal(ev(template, { sku: { value: 'Premium' } }).string("[variables('obj').inner]"), 'Premium');
  });

  it('leaves a parameter without default unknown, with allowedValues or booleans as candidates', () => {
    const template = {
      parameters: {
        pna: { type: 'string', allowedValues: ['Enabled', 'Disabled'] },
        flag: { type: 'bool' },
        free: { type: 'string' },
        secret: { type: 'securestring', defaultValue: 'not-read' },
      },
    };
    const e = ev(template, { secret: { value: 'also-not-read' } });
    assert.deepEqual(unknown(e.string("[parameters('pna')]")).candidates, ['Enabled', 'Disabled']);
    assert.deepEqual(unknown(e.string("[parameters('flag')]")).candidates, [true, false]);
    assert.equal(unknown(e.string("[parameters('free')]")).candidates, undefined);
    assert.equal(unknown(e.string("[parameters('secret')]")).text, "parameters('secret')");
    assert.equal(unknown(e.string("[parameters('free')]")).text, "parameters('free')");
    // Messages name the open inputs, not the expressions around them (whose literals are template content).
    assert.deepEqual(unknown(e.string("[concat('prefix-literal', parameters('free'), toLower(parameters('pna')))]")).causes, ["parameters('free')", "parameters('pna')"]);
  });

  it('carries unknowns through functions: candidates when the set is small, holes in built strings', () => {
    const template = { parameters: { flag: { type: 'bool' }, name: { type: 'string' }, pna: { type: 'string', allowedValues: ['Enabled', 'Disabled'] } } };
    const e = ev(template);
    assert.deepEqual(unknown(e.string("[if(parameters('flag'), 'Disabled', 'Enabled')]")).candidates, ['Disabled', 'Enabled']);
    assert.deepEqual(unknown(e.string("[toLower(parameters('pna'))]")).candidates, ['enabled', 'disabled']);
    assert.equal(e.string("[if(parameters('flag'), 'same', 'same')]"), 'same');
    assert.equal(e.string("[or(true(), parameters('flag'))]"), true);
    assert.equal(e.string("[and(false(), parameters('name'))]"), false);
    assert.deepEqual(unknown(e.string("[equals(parameters('name'), 'x')]")).candidates, [true, false]);
    const built = unknown(e.string("[concat('st', parameters('name'), '01')]"));
    assert.equal(render(built), "st{parameters('name')}01");
    const id = unknown(e.string("[resourceId('Microsoft.Storage/storageAccounts', parameters('name'))]"));
    assert.equal(render(id), `${RESOURCE_GROUP_ID}/providers/Microsoft.Storage/storageAccounts/{parameters('name')}`);
    assert.equal(render(unknown(e.string("[format('{0}/{1}', parameters('name'), 'cpu')]"))), "{parameters('name')}/cpu");
    assert.equal(unknown(e.string("[reference(resourceId('Microsoft.Storage/storageAccounts', 'x')).primaryEndpoints]")).candidates, undefined);
    assert.ok(isUnknown(e.string("[listKeys('x', '2023-01-01').keys[0].value]")));
    assert.ok(isUnknown(e.string("[userFns.compute(1)]")));
  });

  it('evaluates copyIndex in loops and expands property copy loops', () => {
    const e = ev({ parameters: { n: { type: 'int', defaultValue: 3 } } });
    const scope = { copy: new Map([['', 0], ['vms', 0]]) };
    assert.equal(e.string("[concat('ci-', copyIndex(1))]", scope), 'ci-1');
    assert.equal(e.string("[copyIndex('vms')]", scope), 0);
    assert.ok(isUnknown(e.string('[copyIndex()]')));
    const v = e.value({ properties: { copy: [{ name: 'disks', count: "[parameters('n')]", input: { lun: "[copyIndex('disks')]" } }], other: 1 } });
    assert.deepEqual(v, { properties: { disks: [{ lun: 0 }, { lun: 1 }, { lun: 2 }], other: 1 } });
  });

  it('evaluates expressions in property names', () => {
    const e = ev({ variables: { uai: "[resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', 'id1')]" } });
    const v = e.value({ userAssignedIdentities: { "[variables('uai')]": {} } }) as { userAssignedIdentities: Record<string, unknown> };
    assert.deepEqual(Object.keys(v.userAssignedIdentities), [`${RESOURCE_GROUP_ID}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id1`]);
  });

  it('turns cycles, undeclared names, bad arguments and unparsable expressions into unknowns with a note', () => {
    const e = ev({ variables: { a: "[variables('b')]", b: "[variables('a')]" } });
    assert.ok(isUnknown(e.string("[variables('a')]")));
    assert.ok(isUnknown(e.string("[parameters('nope')]")));
    assert.ok(isUnknown(e.string("[substring('abc', 5)]")));
    assert.ok(isUnknown(e.string("[concat('a', ]")));
    assert.ok(e.notes.some((n) => n.includes('refers to itself')), e.notes.join('\n'));
    assert.ok(e.notes.some((n) => n.includes("parameters('nope') is not declared")));
    assert.ok(e.notes.some((n) => n.includes('could not be parsed')));
  });
});
