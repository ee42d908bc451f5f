/**
 * The success criterion (shared/releaseGate/criterion.ts) on canned ARM responses, task.json and the
 * documented check kept in step with it, and the server-task harness's macro rules.
 */
import * as assert from 'node:assert/strict';
import { adoString, jsonPathString, successCriterion } from '../../shared/releaseGate/criterion';
import { digestTag, MODEL_DIGEST_TAG, RELEASE_GATES, requireInputName, statusTag, type ReleaseGate } from '../../shared/releaseGate/gates';
import { allPassed, gateCases, modelVersionBody, randomDigest } from './cases';
import { documentedCheck, documentedServerStep, readReleaseGateDoc, readTaskJson } from './docs';
import { evaluateCondition, evaluateExpression } from './expression/evaluate';
import { selectTokens } from './jsonPath/select';
import { expandMacros, macroValues, type ArmConnection } from './serverTask';

const D = randomDigest();
const OTHER = randomDigest();
const ALL = successCriterion(RELEASE_GATES);
const toggled = RELEASE_GATES.map((gate) => ({ gate, switchInput: requireInputName(gate) }));

const body = (tags: Record<string, string> | undefined, properties?: Record<string, string>) => modelVersionBody('credit-scoring', '7', { tags, properties });
const holds = (expression: string, root: unknown) => evaluateCondition(expression, { root });

/** The task's criterion with its switches set, as the server hands it to the evaluator. */
function taskCriterion(inputs: Partial<Record<ReleaseGate, string>>): string {
  const values = Object.fromEntries(RELEASE_GATES.map((g) => [requireInputName(g), inputs[g] ?? 'true']));
  return expandMacros(successCriterion(toggled), values);
}

describe('release gate success criterion', () => {
  describe('on canned model versions, all three gates required', () => {
    for (const c of gateCases(D, OTHER)) {
      it(`${c.name}: ${c.expected}`, () => {
        assert.equal(holds(ALL, body(c.tags, c.properties)), c.expected);
        // The same answer from the task's expression with every gate switched on.
        assert.equal(holds(taskCriterion({}), body(c.tags, c.properties)), c.expected);
      });
    }

    it('a plain eq on the status would have let Passed through (why the status goes through jsonpath)', () => {
      const passedInOtherCase = body({ ...allPassed(D), [statusTag('security-gate')]: 'Passed' });
      assert.equal(holds(`eq(root['properties']['tags'][${adoString(statusTag('security-gate'))}], 'passed')`, passedInOtherCase), true);
      assert.equal(holds(ALL, passedInOtherCase), false);
    });
  });

  describe('only the required gates count', () => {
    const securityOnly = body({ ...allPassed(D, ['security-gate']), [statusTag('endpoint-hardening-check')]: 'failed' });
    it('a fixed list ignores gates outside it', () => {
      assert.equal(holds(successCriterion(['security-gate']), securityOnly), true);
      assert.equal(holds(successCriterion(['security-gate', 'endpoint-hardening-check']), securityOnly), false);
    });
    it('task inputs switch gates off only with the value false, in any case', () => {
      assert.equal(holds(taskCriterion({ 'endpoint-hardening-check': 'false', 'explainability-report': 'false' }), securityOnly), true);
      assert.equal(holds(taskCriterion({ 'endpoint-hardening-check': 'False', 'explainability-report': 'FALSE' }), securityOnly), true);
      assert.equal(holds(taskCriterion({ 'endpoint-hardening-check': 'no', 'explainability-report': 'false' }), securityOnly), false);
      assert.equal(holds(taskCriterion({ 'endpoint-hardening-check': '', 'explainability-report': 'false' }), securityOnly), false);
    });
    it('an unexpanded switch leaves the gate required', () => {
      const raw = expandMacros(successCriterion(toggled), { [requireInputName('explainability-report')]: 'false', [requireInputName('endpoint-hardening-check')]: 'false' });
      assert.match(raw, /\$\(requireSecurityGate\)/);
      assert.equal(holds(raw, securityOnly), true);
      assert.equal(holds(raw, body({ ...allPassed(D), [statusTag('security-gate')]: 'failed' })), false);
    });
    it('switching every gate off fails: the criterion must not hold for any model version', () => {
      const off = { 'security-gate': 'false', 'endpoint-hardening-check': 'false', 'explainability-report': 'false' } as const;
      assert.equal(holds(taskCriterion(off), body(allPassed(D))), false);
      assert.equal(holds(taskCriterion(off), body(undefined)), false);
    });
  });

  describe('builder', () => {
    it('refuses an empty, unknown, repeated or malformed requirement', () => {
      assert.throws(() => successCriterion([]), /at least one/);
      assert.throws(() => successCriterion(['security-gate', 'security-gate']), /twice/);
      assert.throws(() => successCriterion(['model-scan' as ReleaseGate]), /unknown gate/);
      assert.throws(() => successCriterion([{ gate: 'security-gate', switchInput: 'require-x' }]), /invalid input name/);
      assert.throws(() => successCriterion([{ gate: 'security-gate', switchInput: "x')" }]), /invalid input name/);
    });

    it('escapes expression and JSONPath string literals', () => {
      assert.equal(evaluateExpression(`${adoString("it's ''quoted''")}`), "it's ''quoted''");
      const doc = { "o'k\\": 1 };
      assert.deepEqual(selectTokens(doc, `$[${jsonPathString("o'k\\")}]`), [1]);
      assert.deepEqual(selectTokens(doc, evaluateExpression(adoString(`$[${jsonPathString("o'k\\")}]`)) as string), [1]);
    });

    it('names the tags and inputs as agreed', () => {
      assert.equal(statusTag('endpoint-hardening-check'), 'mlops-gates.endpoint-hardening-check');
      assert.equal(digestTag('security-gate'), 'mlops-gates.security-gate.digest');
      assert.equal(MODEL_DIGEST_TAG, 'mlops-gates.model-digest');
      assert.deepEqual(RELEASE_GATES.map(requireInputName), ['requireSecurityGate', 'requireEndpointHardeningCheck', 'requireExplainabilityReport']);
    });

    it('stays well under the expression length limit', () => {
      assert.ok(successCriterion(toggled).length < 5000);
    });
  });

  describe('tasks/ModelEvidenceGate/task.json', () => {
    const task = readTaskJson();
    const execute = task.execution.HttpRequest.Execute;

    it('evaluates the generated criterion (regenerate with successCriterion(toggled) if this fails)', () => {
      assert.equal(execute.Expression, successCriterion(toggled), `expected Expression:\n${JSON.stringify(successCriterion(toggled))}`);
    });

    it('has one boolean input per gate, in the Required gates group', () => {
      for (const g of RELEASE_GATES) {
        const input = task.inputs.find((i) => i.name === requireInputName(g));
        assert.ok(input, `no input ${requireInputName(g)}`);
        assert.equal(input.type, 'boolean');
        assert.equal(input.groupName, 'requiredGates');
        assert.match(String(input.defaultValue), /^(true|false)$/);
      }
    });

    it('is a server task: HttpRequest only, GET, synchronous, runs on Server and ServerGate', () => {
      assert.deepEqual(Object.keys(task.execution), ['HttpRequest']);
      assert.deepEqual(task.runsOn, ['Server', 'ServerGate']);
      assert.equal(execute.Method, 'GET');
      assert.equal(execute.WaitForCompletion, 'false');
      assert.equal(execute.Body, '');
      const headers = JSON.parse(execute.Headers ?? '') as Record<string, string>;
      assert.deepEqual(Object.keys(headers).map((h) => h.toLowerCase()), ['content-type'], 'no token of ours goes out: the connection signs the request');
    });

    it('uses only macros the server can fill: its inputs and the connection endpoint fields', () => {
      const known = new Set([...task.inputs.map((i) => i.name.toLowerCase()), 'endpoint.url', 'endpoint.subscriptionid']);
      for (const field of ['EndpointId', 'EndpointUrl', 'Expression'] as const) {
        for (const m of String(execute[field]).matchAll(/\$\(([^)]+)\)/g)) assert.ok(known.has(m[1].toLowerCase()), `${field} uses $(${m[1]})`);
      }
      const connection = task.inputs.find((i) => `$(${i.name})` === execute.EndpointId);
      assert.equal(connection?.type, 'connectedService:AzureRM');
    });

    it('builds the ARM URL of a workspace or registry model version from its inputs', () => {
      const conn: ArmConnection = { id: 'c1', url: 'https://management.example/', subscriptionId: 'sub-1', token: async () => 'unused' };
      const inputs = { azureSubscription: 'c1', resourceGroupName: 'rg-1', workspaceName: 'mlw-1', modelName: 'm', modelVersion: '3' };
      const ws = expandMacros(execute.EndpointUrl, macroValues(task, inputs, conn));
      assert.equal(ws, 'https://management.example/subscriptions/sub-1/resourceGroups/rg-1/providers/Microsoft.MachineLearningServices/workspaces/mlw-1/models/m/versions/3?api-version=2024-10-01');
      const reg = expandMacros(execute.EndpointUrl, macroValues(task, { ...inputs, containerType: 'registries', apiVersion: '2025-09-01' }, conn));
      assert.match(reg, /\/registries\/mlw-1\/models\/m\/versions\/3\?api-version=2025-09-01$/);
    });
  });

  describe('docs/release-gate.md', () => {
    const doc = readReleaseGateDoc();
    const task = readTaskJson();
    const defaultRequired = RELEASE_GATES.filter((g) => task.inputs.find((i) => i.name === requireInputName(g))?.defaultValue === 'true');

    it("the environment check's success criterion is the criterion for the task's default gates", () => {
      assert.deepEqual(defaultRequired, ['security-gate', 'endpoint-hardening-check']);
      assert.equal(documentedCheck(doc).successCriteria, successCriterion(defaultRequired));
    });

    it('the check is a synchronous GET with plain headers on an ARM connection', () => {
      const check = documentedCheck(doc);
      assert.equal(check.connectionType, 'Azure Resource Manager');
      assert.equal(check.method, 'GET');
      assert.equal(check.completionEvent, 'ApiResponse');
      assert.deepEqual(JSON.parse(check.headers), { 'Content-Type': 'application/json' });
      assert.match(check.urlSuffix, /^subscriptions\/<subscription-id>\/resourceGroups\/<resource-group>\/providers\/Microsoft\.MachineLearningServices\/workspaces\/<workspace>\/models\/<model>\/versions\/\$\(Build\.BuildId\)\?api-version=\d{4}-\d{2}-\d{2}$/);
    });

    it('the server job example runs on pool server and sets only real inputs, the required ones included', () => {
      const step = documentedServerStep(doc);
      assert.equal(step.pool, 'server');
      const names = new Set(task.inputs.flatMap((i) => [i.name, ...(i.aliases ?? [])]));
      for (const k of Object.keys(step.inputs)) assert.ok(names.has(k), `unknown input ${k}`);
      for (const i of task.inputs.filter((x) => x.required)) assert.ok(i.name in step.inputs || i.defaultValue, `required input ${i.name} missing`);
    });
  });

  describe('server macro rules (harness)', () => {
    const conn: ArmConnection = { id: 'c1', url: 'https://arm.example/', subscriptionId: 's', token: async () => 't' };
    const task = readTaskJson();

    it('macro names are case-insensitive; unknown macros stay as written', () => {
      assert.equal(expandMacros('$(A)-$(b)-$(Build.BuildId)', { a: '1', B: '2' }), '1-2-$(Build.BuildId)');
    });

    it('inputs resolve by name or alias, fall back to defaults, and must be known and present when required', () => {
      const v = macroValues(task, { connectedServiceNameARM: 'c1', resourceGroupName: 'rg', workspaceName: 'w', modelName: 'm', modelVersion: '1' }, conn);
      assert.equal(v.azureSubscription, 'c1');
      assert.equal(v.containerType, 'workspaces');
      assert.equal(v['endpoint.subscriptionId'], 's');
      assert.throws(() => macroValues(task, { azureSubscription: 'c1' }, conn), /required/);
      assert.throws(() => macroValues(task, { azureSubscription: 'c1', resourceGroupName: 'rg', workspaceName: 'w', modelName: 'm', modelVersion: '1', requiredGates: 'x' }, conn), /no input/);
    });
  });
});
