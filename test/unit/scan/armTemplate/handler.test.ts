import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ALL_RULES } from '../../../../shared/rules/catalog';
import type { Finding, RuleOptions } from '../../../../shared/rules/types';
import {
  armTemplateHandler, armTemplateRules, createArmTemplateHandler, looksLikeTemplate, parametersFileName, scanArmTemplate, type TextScanResult,
} from '../../../../shared/scan/armTemplate/handler';
import { TEXT_HANDLERS } from '../../../../shared/scan/armTemplate';

const REPO = resolve(__dirname, '..', '..', '..', '..', '..');
const FIXTURES = join(REPO, 'test', 'fixtures', 'templates');
const NOW = new Date('2026-06-01T00:00:00Z');
const SCHEMA = 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#';

const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');

function scan(text: string, opts: { path?: string; parametersText?: string; options?: RuleOptions } = {}): TextScanResult {
  return scanArmTemplate({ path: opts.path ?? 'infra/main.json', text, parametersText: opts.parametersText }, { now: () => NOW, options: opts.options });
}

const ids = (fs: Finding[]) => [...new Set(fs.map((f) => f.ruleId))].sort();
const lineOf = (text: string, needle: string) => {
  const i = text.indexOf(needle);
  assert.ok(i >= 0, `fixture has no ${needle}`);
  assert.equal(text.indexOf(needle, i + 1), -1, `${needle} occurs twice in the fixture`);
  return text.slice(0, i).split('\n').length;
};
const one = (fs: Finding[], ruleId: string, where?: string) => {
  const hits = fs.filter((f) => f.ruleId === ruleId && (where === undefined || f.message.includes(where)));
  assert.equal(hits.length, 1, `${ruleId}${where ? ` in ${where}` : ''}: ${JSON.stringify(hits.map((h) => h.message))}`);
  return hits[0];
};

/** A minimal template with one workspace (properties given) and extra resources. */
function workspaceTemplate(wsProps: Record<string, unknown>, opts: { parameters?: Record<string, unknown>; resources?: unknown[]; identity?: unknown } = {}): string {
  return JSON.stringify({
    $schema: SCHEMA,
    contentVersion: '1.0.0.0',
    parameters: opts.parameters ?? {},
    resources: [
      { type: 'Microsoft.MachineLearningServices/workspaces', apiVersion: '2025-06-01', name: 'mlw', location: 'westeurope', identity: opts.identity, properties: wsProps },
      ...(opts.resources ?? []),
    ],
  }, null, 2);
}

const INSECURE_IDS = [
  'AML-CMP-001', 'AML-CMP-002', 'AML-CMP-003', 'AML-CMP-004', 'AML-CMP-006', 'AML-CMP-007', 'AML-CMP-008', 'AML-CMP-009', 'AML-CMP-010', 'AML-CMP-011', 'AML-CMP-013',
  'AML-CONN-001', 'AML-CONN-002', 'AML-CONN-003', 'AML-CONN-004',
  'AML-DS-001', 'AML-DS-002', 'AML-DS-004', 'AML-DS-005',
  'AML-IAM-001', 'AML-IAM-002', 'AML-IAM-004',
  'AML-LNK-ACR-001', 'AML-LNK-ACR-002', 'AML-LNK-ACR-003', 'AML-LNK-ACR-004', 'AML-LNK-AI-001', 'AML-LNK-AI-002',
  'AML-LNK-KV-001', 'AML-LNK-KV-002', 'AML-LNK-KV-003', 'AML-LNK-KV-004',
  'AML-LNK-ST-001', 'AML-LNK-ST-002', 'AML-LNK-ST-003', 'AML-LNK-ST-004', 'AML-LNK-ST-005',
  'AML-WS-001', 'AML-WS-002', 'AML-WS-003', 'AML-WS-004', 'AML-WS-006', 'AML-WS-007', 'AML-WS-008', 'AML-WS-009', 'AML-WS-011', 'AML-WS-013', 'AML-WS-014', 'AML-WS-015', 'AML-WS-016',
];

describe('ARM template handler: which files', () => {
  it('applies to JSON whose $schema is a deployment template, at any scope, wherever the key sits', () => {
    assert.ok(armTemplateHandler.applies('a/main.json', `{"$schema": "${SCHEMA}", "resources": []}`));
    assert.ok(armTemplateHandler.applies('A/MAIN.JSON', '{"contentVersion":"1.0.0.0",\n "$schema" :\n "https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#"}'));
    assert.equal(armTemplateHandler.id, 'arm-template');
  });

  it('does not apply to parameters files, other schemas, mentions outside $schema, or non-JSON paths', () => {
    assert.ok(!armTemplateHandler.applies('main.parameters.json', '{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#", "parameters": {}}'));
    assert.ok(!armTemplateHandler.applies('package.json', '{"name": "x", "description": "see deploymentTemplate.json"}'));
    assert.ok(!armTemplateHandler.applies('tsconfig.json', '{"$schema": "https://json.schemastore.org/tsconfig", "x": "deploymentTemplate.json"}'));
    assert.ok(!armTemplateHandler.applies('notes.txt', `{"$schema": "${SCHEMA}"}`));
    assert.ok(!looksLikeTemplate('["$schema", "deploymentTemplate.json"]'));
  });

  it('decides on a 50 MB non-template JSON without parsing it', () => {
    const big = `{"data": "${'x'.repeat(50 * 1024 * 1024)}"}`;
    const t = Date.now();
    assert.ok(!armTemplateHandler.applies('big.json', big));
    assert.ok(Date.now() - t < 1000, `took ${Date.now() - t} ms`);
  });
});

describe('ARM template handler: the fixture pair', () => {
  const insecureText = fixture('workspace-insecure.json');
  const hardenedText = fixture('workspace-hardened.json');
  const insecure = scan(insecureText, { path: 'infra/workspace-insecure.json' });

  it('finds nothing in the hardened template', () => {
    const r = scan(hardenedText);
    assert.deepEqual(r.findings.map((f) => `${f.ruleId}: ${f.message}`), []);
    assert.deepEqual(r.warnings, []);
  });

  it('the hardened template is really judged: weakening one property raises exactly that rule', () => {
    const weakened = hardenedText.replace('"serverlessComputeNoPublicIP": true', '"serverlessComputeNoPublicIP": false');
    const r = scan(weakened);
    assert.deepEqual(ids(r.findings), ['AML-WS-013']);
    assert.equal(r.findings[0].location!.line, lineOf(hardenedText, '"serverlessComputeNoPublicIP": true'));
  });

  it('raises exactly the expected rules on the insecure template', () => {
    assert.deepEqual(ids(insecure.findings), INSECURE_IDS);
    assert.deepEqual(insecure.warnings, []);
    assert.ok(!insecure.findings.some((f) => f.ruleId === 'AML-IAM-003'), 'AML-IAM-003 is not for templates');
  });

  it('reports content findings: the file as resource, rule severity, a named resource, location and fingerprint', () => {
    const f = one(insecure.findings, 'AML-WS-001');
    assert.equal(f.resourceKind, 'file');
    assert.equal(f.resourceId, 'infra/workspace-insecure.json');
    assert.equal(f.location!.file, 'infra/workspace-insecure.json');
    assert.equal(f.severity, 'high');
    assert.equal(f.path, 'properties.publicNetworkAccess');
    assert.match(f.message, /^In resource 'mlw-insecure' \(Microsoft\.MachineLearningServices\/workspaces\): Public network access is "Enabled"/);
    assert.match(f.fingerprint, /^[0-9a-f]{32}$/);
    assert.equal(new Set(insecure.findings.map((x) => x.fingerprint)).size, insecure.findings.length, 'fingerprints are unique');
  });

  it('points at the offending property, or at the nearest part of the resource the template writes', () => {
    const t = insecureText;
    const at = (ruleId: string, where?: string) => one(insecure.findings, ruleId, where).location!;
    assert.equal(at('AML-WS-001').line, lineOf(t, '"publicNetworkAccess": "Enabled"'));
    assert.equal(at('AML-WS-001').column, 9);
    assert.equal(at('AML-LNK-ST-002').line, lineOf(t, '"supportsHttpsTrafficOnly": false'));
    assert.equal(at('AML-WS-016').line, lineOf(t, '"status": "Pending"'));
    assert.equal(at('AML-CMP-007').line, lineOf(t, '"minNodeCount": 2'));
    assert.equal(at('AML-CMP-004', 'ci-1').line, lineOf(t, '"sshPublicAccess": "Enabled"'));
    assert.equal(at('AML-IAM-002').line, lineOf(t, '"actions": ["Microsoft.MachineLearningServices/*"]'));
    // encryption is not written at all: the finding sits on the workspace's properties block.
    const wsProps = lineOf(t, '"friendlyName": "Insecure workspace"') - 1;
    assert.equal(at('AML-WS-006').line, wsProps);
    // identity is not written: the workspace declaration itself.
    const wsDecl = lineOf(t, '"type": "Microsoft.MachineLearningServices/workspaces",') - 1;
    assert.equal(at('AML-WS-007').line, wsDecl);
    assert.equal(at('AML-WS-009').line, wsDecl);
  });

  it('follows nested resources, copy loops and both forms of extension resources', () => {
    assert.match(one(insecure.findings, 'AML-CMP-007').message, /'mlw-insecure\/cpu-cluster' \(Microsoft\.MachineLearningServices\/workspaces\/computes\)/);
    // The copy loop is judged once, on copyIndex(1) of its first iteration, and says so.
    const loop = insecure.findings.filter((f) => f.message.includes('copy loop "instances"'));
    assert.ok(loop.length >= 5);
    assert.ok(loop.every((f) => f.message.includes("'mlw-insecure/ci-1'")));
    assert.equal(insecure.findings.filter((f) => f.message.includes('ci-2')).length, 0);
    // Nested `providers/diagnosticSettings`: the setting is found (only individual categories: low, not "none").
    assert.equal(one(insecure.findings, 'AML-WS-009').severity, 'low');
    // `workspaces/providers/roleAssignments` (Owner on the workspace) and an unscoped (resource group) assignment.
    assert.match(one(insecure.findings, 'AML-IAM-001', 'Owner').message, /User "33333333-4444-5555-6666-777777777777" holds Owner/);
    assert.match(one(insecure.findings, 'AML-IAM-004').message, /template-resource-group"/);
  });

  it('treats a role assignment without principalType as undetermined, at low severity', () => {
    const f = one(insecure.findings, 'AML-IAM-001', 'Contributor');
    assert.equal(f.severity, 'low');
    assert.match(f.message, /undetermined: the outcome depends on properties\.principalType/);
  });

  it('passes policy options to the rules', () => {
    const r = scan(insecureText, { options: { sensitiveData: true } });
    assert.equal(one(r.findings, 'AML-WS-010').location!.line, lineOf(insecureText, '"hbiWorkspace": false'));
    assert.equal(one(r.findings, 'AML-WS-006').severity, 'high');
  });

  it('keeps fingerprints across reformatting and line moves, and separates files', () => {
    const reformatted = JSON.stringify(JSON.parse(insecureText), null, 1).replace('"resources": [', '"resources": [\n\n\n');
    const again = scan(reformatted, { path: 'infra/workspace-insecure.json' });
    assert.deepEqual(again.findings.map((f) => f.fingerprint).sort(), insecure.findings.map((f) => f.fingerprint).sort());
    assert.notDeepEqual(again.findings.map((f) => f.location!.line), insecure.findings.map((f) => f.location!.line));
    const elsewhere = scan(insecureText, { path: 'other/workspace-insecure.json' });
    assert.equal(elsewhere.findings.filter((f) => insecure.findings.some((g) => g.fingerprint === f.fingerprint)).length, 0);
  });
});

describe('ARM template handler: values the template does not fix', () => {
  const pnaTemplate = (decl: Record<string, unknown>) =>
    workspaceTemplate({ publicNetworkAccess: "[parameters('pna')]" }, { parameters: { pna: { type: 'string', ...decl } } });
  const ws001 = (r: TextScanResult) => r.findings.filter((f) => f.ruleId === 'AML-WS-001');

  it('a parameter without default is undetermined (low), never a pass', () => {
    const [f, ...rest] = ws001(scan(pnaTemplate({})));
    assert.equal(rest.length, 0);
    assert.equal(f.severity, 'low');
    assert.match(f.message, /undetermined: the outcome depends on parameters\('pna'\)/);
    const [g] = ws001(scan(pnaTemplate({ allowedValues: ['Enabled', 'Disabled'] })));
    assert.equal(g.severity, 'low');
    assert.notEqual(f.fingerprint, one(scan(pnaTemplate({ defaultValue: 'Enabled' })).findings, 'AML-WS-001').fingerprint);
  });

  it('is definite when every allowed value fails, and judged by the default otherwise', () => {
    assert.equal(one(scan(pnaTemplate({ allowedValues: ['Enabled'] })).findings, 'AML-WS-001').severity, 'high');
    assert.equal(one(scan(pnaTemplate({ defaultValue: 'Enabled' })).findings, 'AML-WS-001').severity, 'high');
    assert.deepEqual(ws001(scan(pnaTemplate({ defaultValue: 'Disabled' }))), []);
  });

  it('reads the parameters file beside the template, through the handler context', () => {
    const text = pnaTemplate({});
    const params = (v: string) => JSON.stringify({ $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#', parameters: { pna: { value: v } } });
    assert.equal(parametersFileName('infra/main.json'), 'main.parameters.json');
    const asked: string[] = [];
    const handler = createArmTemplateHandler({ now: () => NOW });
    const closed = handler.scan('infra/main.json', text, { readSibling: (rel) => { asked.push(rel); return params('Disabled'); } });
    assert.deepEqual(asked, ['main.parameters.json']);
    assert.deepEqual(ws001(closed), []);
    assert.equal(one(handler.scan('infra/main.json', text, { readSibling: () => params('Enabled') }).findings, 'AML-WS-001').severity, 'high');
    const broken = handler.scan('infra/main.json', text, { readSibling: () => '{ not json' });
    assert.match(broken.warnings.join('\n'), /infra\/main\.json: main\.parameters\.json is not valid JSON/);
    assert.equal(one(broken.findings, 'AML-WS-001').severity, 'low');
  });

  it('does not pass a rule whose safe outcome rests on an open value', () => {
    // allowPublicAccessWhenBehindVnet fails only on true: a bool parameter without default could be true.
    const text = workspaceTemplate({ publicNetworkAccess: 'Disabled', allowPublicAccessWhenBehindVnet: "[parameters('open')]" }, { parameters: { open: { type: 'bool' } } });
    const f = one(scan(text).findings, 'AML-WS-002');
    assert.equal(f.severity, 'low');
    const closed = text.replace('"type": "bool"', '"type": "bool", "defaultValue": false');
    assert.ok(!scan(closed).findings.some((x) => x.ruleId === 'AML-WS-002'));
  });

  it('tries an open value as true, false and absent: a rule that passes on its string form is undetermined', () => {
    // AML-LNK-ACR-001 fails only on true; reference() is known at deployment only.
    const text = workspaceTemplate({ containerRegistry: "[resourceId('Microsoft.ContainerRegistry/registries', 'cr1')]" }, {
      resources: [{
        type: 'Microsoft.ContainerRegistry/registries', apiVersion: '2023-07-01', name: 'cr1', sku: { name: 'Premium' },
        properties: { adminUserEnabled: "[reference('settings').adminEnabled]", anonymousPullEnabled: false },
      }],
    });
    const f = one(scan(text).findings, 'AML-LNK-ACR-001');
    assert.equal(f.severity, 'low');
    assert.match(f.message, /undetermined: the outcome depends on reference\('settings'\), which the template does not fix/);
    // AML-CMP-008 passes on any non-empty assigned user; absent, it fails.
    const instance = workspaceTemplate({}, {
      parameters: { owner: { type: 'string' } },
      resources: [{
        type: 'Microsoft.MachineLearningServices/workspaces/computes', apiVersion: '2025-06-01', name: 'mlw/ci',
        properties: { computeType: 'ComputeInstance', properties: { applicationSharingPolicy: 'Personal', personalComputeInstanceSettings: { assignedUser: { objectId: "[parameters('owner')]" } } } },
      }],
    });
    assert.equal(one(scan(instance).findings, 'AML-CMP-008').severity, 'low');
  });

  it('resolves if() over a bool parameter to both branches', () => {
    const text = workspaceTemplate({ publicNetworkAccess: "[if(parameters('private'), 'Disabled', 'Enabled')]" }, { parameters: { private: { type: 'bool' } } });
    assert.equal(one(scan(text).findings, 'AML-WS-001').severity, 'low');
    const withDefault = text.replace('"type": "bool"', '"type": "bool", "defaultValue": true');
    assert.ok(!scan(withDefault).findings.some((f) => f.ruleId === 'AML-WS-001'));
  });

  it('links resources whose names are open, by the expression that names them', () => {
    const text = workspaceTemplate({
      storageAccount: "[resourceId('Microsoft.Storage/storageAccounts', parameters('st'))]",
      primaryUserAssignedIdentity: "[resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', parameters('st'))]",
    }, {
      identity: { type: 'UserAssigned' },
      parameters: { st: { type: 'string' } },
      resources: [{ type: 'Microsoft.Storage/storageAccounts', apiVersion: '2023-01-01', name: "[parameters('st')]", properties: { supportsHttpsTrafficOnly: false } }],
    });
    const f = one(scan(text).findings, 'AML-LNK-ST-002');
    assert.equal(f.severity, 'high');
    assert.match(f.message, /In resource '\{parameters\('st'\)\}'/);
    // A resource id with an open name is still a non-empty id: not undetermined.
    assert.ok(!scan(text).findings.some((x) => x.ruleId === 'AML-WS-008'));
  });
});

describe('ARM template handler: shapes of templates', () => {
  it('judges children of a workspace the template does not deploy, without workspace-dependent rules', () => {
    const text = JSON.stringify({
      $schema: SCHEMA,
      resources: [{
        type: 'Microsoft.MachineLearningServices/workspaces/computes', apiVersion: '2025-06-01', name: 'existing-ws/cpu',
        properties: { computeType: 'AmlCompute', properties: { enableNodePublicIp: true } },
      }],
    }, null, 2);
    const r = scan(text);
    assert.deepEqual(ids(r.findings), ['AML-CMP-001', 'AML-CMP-003', 'AML-CMP-004', 'AML-CMP-010']);
    assert.match(one(r.findings, 'AML-CMP-003').message, /'existing-ws\/cpu'/);
  });

  it('reads languageVersion 2.0 templates (resources keyed by symbolic name) and skips existing resources', () => {
    const text = JSON.stringify({
      $schema: SCHEMA,
      languageVersion: '2.0',
      resources: {
        ws: { type: 'Microsoft.MachineLearningServices/workspaces', apiVersion: '2025-06-01', existing: true, name: 'mlw-shared' },
        cpu: {
          type: 'Microsoft.MachineLearningServices/workspaces/computes', apiVersion: '2025-06-01', name: "[format('{0}/{1}', 'mlw-shared', 'cpu')]",
          dependsOn: ['ws'], properties: { computeType: 'AmlCompute', disableLocalAuth: false },
        },
      },
    }, null, 2);
    const r = scan(text);
    assert.ok(!r.findings.some((f) => f.ruleId.startsWith('AML-WS-')), 'the existing workspace is not judged');
    assert.match(one(r.findings, 'AML-CMP-001').message, /'mlw-shared\/cpu'/);
  });

  it('reports a storage account shared by two workspaces once, judges conditional resources, skips existing ones', () => {
    const storage = (name: string, extra: Record<string, unknown> = {}) => ({
      type: 'Microsoft.Storage/storageAccounts', apiVersion: '2023-01-01', name, properties: { supportsHttpsTrafficOnly: false }, ...extra,
    });
    const ws = (name: string, st: string) => ({
      type: 'Microsoft.MachineLearningServices/workspaces', apiVersion: '2025-06-01', name,
      properties: { storageAccount: `[resourceId('Microsoft.Storage/storageAccounts', '${st}')]` },
    });
    const text = JSON.stringify({
      $schema: SCHEMA,
      resources: [
        storage('stshared', { condition: "[equals('new', 'existing')]" }), storage('stold', { existing: true }),
        ws('mlw-a', 'stshared'), ws('mlw-b', 'stshared'), ws('mlw-c', 'stold'),
      ],
    }, null, 2);
    const st = scan(text).findings.filter((f) => f.ruleId === 'AML-LNK-ST-002');
    assert.equal(st.length, 1);
    assert.match(st[0].message, /'stshared'/);
    assert.equal(scan(text).findings.filter((f) => f.ruleId === 'AML-WS-001').length, 3);
  });

  it('does not report AML-WS-003 when the template declares no private endpoint', () => {
    const r = scan(workspaceTemplate({ publicNetworkAccess: 'Disabled' }));
    assert.ok(!r.findings.some((f) => f.ruleId === 'AML-WS-003'));
    assert.ok(r.findings.some((f) => f.ruleId === 'AML-WS-004'), 'other workspace rules still run');
  });

  it('finds nothing in templates without Azure Machine Learning resources', () => {
    const text = JSON.stringify({ $schema: SCHEMA, resources: [{ type: 'Microsoft.Storage/storageAccounts', apiVersion: '2023-01-01', name: 'st', properties: { supportsHttpsTrafficOnly: false } }] });
    assert.deepEqual(scan(text), { findings: [], warnings: [] });
  });
});

describe('ARM template handler: bad input', () => {
  it('turns malformed JSON into a warning naming the file and the place', () => {
    const text = fixture('workspace-insecure.json');
    const truncated = text.slice(0, Math.floor(text.length / 2));
    const r = armTemplateHandler.scan('infra/broken.json', truncated);
    assert.deepEqual(r.findings, []);
    assert.equal(r.warnings.length, 1);
    assert.match(r.warnings[0], /^infra\/broken\.json: not valid JSON \(.* at line \d+, column \d+\)/);
  });

  it('survives deep nesting, odd shapes and unparsable expressions with warnings, not crashes', () => {
    const deep = `{"$schema": "${SCHEMA}", "resources": [${'['.repeat(5000)}${']'.repeat(5000)}]}`;
    assert.match(armTemplateHandler.scan('deep.json', deep).warnings[0], /nested deeper than/);
    const odd = [
      `{"$schema": "${SCHEMA}", "resources": "not a list"}`,
      `{"$schema": "${SCHEMA}", "resources": [1, "x", null, {"name": "no type"}, {"type": 7}]}`,
      `{"$schema": "${SCHEMA}", "parameters": 5, "variables": [], "resources": [{"type": "Microsoft.MachineLearningServices/workspaces", "name": "[concat(]", "properties": "[variables('missing').x]"}]}`,
      `{"$schema": "${SCHEMA}", "variables": {"a": "[variables('a')]"}, "resources": [{"type": "Microsoft.MachineLearningServices/workspaces", "name": "[variables('a')]", "copy": {"name": "l", "count": "[variables('a')]"}}]}`,
    ];
    for (const t of odd) {
      const r = armTemplateHandler.scan('odd.json', t);
      assert.ok(Array.isArray(r.findings) && Array.isArray(r.warnings), t);
      assert.ok(r.warnings.every((w) => w.startsWith('odd.json: ')), r.warnings.join('\n'));
    }
    const r = armTemplateHandler.scan('odd.json', odd[2]);
    assert.match(r.warnings.join('\n'), /could not be parsed/);
    assert.match(r.warnings.join('\n'), /has properties from variables\('missing'\), which cannot be evaluated/);
    assert.ok(r.findings.some((f) => f.ruleId === 'AML-WS-001'), 'the workspace is still judged');
  });
});

describe('ARM template handler: secrets', () => {
  it('never prints the value of a secure parameter, a parameters file entry or a literal credential', () => {
    // Key-shaped values are made here, at run time; none is committed.
    const password = randomBytes(24).toString('base64');
    const accountKey = randomBytes(64).toString('base64');
    const pat = randomBytes(26).toString('hex');
    const text = workspaceTemplate({}, {
      parameters: { adminPassword: { type: 'securestring', defaultValue: password }, pat: { type: 'string' } },
      resources: [
        {
          type: 'Microsoft.MachineLearningServices/workspaces/datastores', apiVersion: '2025-06-01', name: 'mlw/blob',
          properties: { datastoreType: 'AzureBlob', accountName: 'stx', containerName: 'c', credentials: { credentialsType: 'AccountKey', secrets: { secretsType: 'AccountKey', key: accountKey } } },
        },
        {
          type: 'Microsoft.MachineLearningServices/workspaces/connections', apiVersion: '2025-06-01', name: 'mlw/git',
          properties: { category: 'Git', target: `https://user:${pat}@dev.azure.com/org/repo`, authType: 'PAT', credentials: { pat: "[parameters('pat')]" } },
        },
        {
          // Broken expressions around a literal secret: warnings must not quote them.
          type: 'Microsoft.MachineLearningServices/workspaces/connections', apiVersion: '2025-06-01', name: 'mlw/broken',
          properties: { category: 'Git', authType: 'PAT', target: `[concat('https://x:${pat}@host', ]`, description: `[substring('${accountKey}', 9999)]` },
        },
        {
          type: 'Microsoft.MachineLearningServices/workspaces/computes', apiVersion: '2025-06-01', name: 'mlw/vm',
          properties: { computeType: 'VirtualMachine', properties: { administratorAccount: { username: 'u', password: "[parameters('adminPassword')]" } } },
        },
      ],
    });
    const params = JSON.stringify({ parameters: { pat: { value: pat }, adminPassword: { value: password } } });
    const r = createArmTemplateHandler({ now: () => NOW }).scan('infra/main.json', text, { readSibling: () => params });
    assert.ok(r.findings.some((f) => f.ruleId === 'AML-DS-001') && r.findings.some((f) => f.ruleId === 'AML-CONN-001'));
    assert.match(r.warnings.join('\n'), /could not be parsed/);
    assert.match(r.warnings.join('\n'), /substring\(\): substring: index out of range/);
    const out = JSON.stringify(r);
    for (const secret of [password, accountKey, pat]) assert.ok(!out.includes(secret), 'a secret value reached the output');
  });
});

describe('ARM template handler: what the scanner core loads', () => {
  it('exports TEXT_HANDLERS: the handler, for .json files, with the metadata of every rule it can report', () => {
    assert.deepEqual(TEXT_HANDLERS, [armTemplateHandler]);
    assert.deepEqual(armTemplateHandler.extensions, ['.json']);
    const metas = armTemplateRules();
    assert.equal(metas.length, ALL_RULES.length - 1);
    assert.ok(!metas.some((m) => m.id === 'AML-IAM-003'));
    assert.deepEqual(armTemplateHandler.rules?.map((r) => r.id), metas.map((m) => m.id));
    const reported = scan(fixture('workspace-insecure.json')).findings.map((f) => f.ruleId);
    assert.ok(reported.every((id) => metas.some((m) => m.id === id)));
  });
});
