/**
 * Every tasks/<Name>/task.json against our schema and rules, and proof that both can fail: each broken
 * variant below is a mistake tfx would let through with a warning at most (trap T7).
 */
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from './repo';
import { taskRuleProblems, taskSchemaValidator, type TaskJson } from './taskRules';

const TASKS = join(REPO, 'tasks');
const taskDirs = existsSync(TASKS)
  ? readdirSync(TASKS, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort()
  : [];

/** A valid agent task; each negative case changes one thing. */
function sampleTask(): TaskJson {
  return {
    id: '0b7c2f4e-1d3a-4e5b-8c6d-9e0f1a2b3c4d',
    name: 'SampleTask',
    friendlyName: 'Sample task',
    description: 'A task used by the schema tests.',
    author: 'MLOps Gates',
    category: 'Azure Pipelines',
    runsOn: ['Agent'],
    version: { Major: 0, Minor: 1, Patch: 0 },
    minimumAgentVersion: '4.248.0',
    instanceNameFormat: 'Sample: $(workspaceName)',
    inputs: [
      { name: 'azureSubscription', type: 'connectedService:AzureRM', label: 'Connection', required: true, helpMarkDown: 'ARM connection.' },
      { name: 'workspaceName', type: 'string', label: 'Workspace', required: true, helpMarkDown: 'The workspace.' },
      { name: 'level', type: 'pickList', label: 'Level', defaultValue: 'high', options: { high: 'High', low: 'Low' }, helpMarkDown: 'Threshold.' },
    ],
    outputVariables: [{ name: 'verdict', description: 'passed or failed' }],
    execution: { Node24: { target: 'index.js', argumentFormat: '' }, Node20_1: { target: 'index.js', argumentFormat: '' } },
    messages: {},
  };
}

function serverTask(): TaskJson {
  const t = sampleTask();
  delete t.minimumAgentVersion;
  t.runsOn = ['Server', 'ServerGate'];
  t.execution = {
    HttpRequest: {
      Execute: {
        EndpointId: '$(azureSubscription)', EndpointUrl: '$(endpoint.url)subscriptions/x', Method: 'GET',
        Body: '', Headers: '{}', WaitForCompletion: 'false', Expression: "eq(root['properties']['publicNetworkAccess'], 'Disabled')",
      },
    },
  };
  return t;
}

describe('task.json', () => {
  const validate = taskSchemaValidator();

  it('there is at least one task folder', () => {
    assert.ok(taskDirs.length > 0, 'no folder under tasks/');
  });

  for (const name of taskDirs) {
    describe(`tasks/${name}`, () => {
      const file = join(TASKS, name, 'task.json');
      const task = (): TaskJson => JSON.parse(readFileSync(file, 'utf8'));

      it('validates against test/schemas/task.schema.json', () => {
        assert.deepEqual(validate(task()), []);
      });
      it('follows our task rules', () => {
        assert.deepEqual(taskRuleProblems(task(), join(TASKS, name)), []);
      });
      it('is named after its folder', () => {
        assert.equal(task().name, name);
      });
    });
  }

  it('task ids are unique across tasks', () => {
    const ids = taskDirs.map((n) => JSON.parse(readFileSync(join(TASKS, n, 'task.json'), 'utf8')).id.toLowerCase());
    assert.equal(new Set(ids).size, ids.length);
  });

  describe('schema', () => {
    it('accepts the sample agent task and a server (HttpRequest) task', () => {
      assert.deepEqual(validate(sampleTask()), []);
      assert.deepEqual(validate(serverTask()), []);
    });

    const broken: Array<[string, (t: TaskJson) => void]> = [
      ['an unknown top-level property', (t) => { t.executions = {}; }],
      ['an id that is not a GUID', (t) => { t.id = 'not-a-guid'; }],
      ['a name with an underscore', (t) => { t.name = 'Sample_Task'; }],
      ['a friendlyName of 41 characters', (t) => { t.friendlyName = 'x'.repeat(41); }],
      ['an empty friendlyName', (t) => { t.friendlyName = ''; }],
      ['an unknown category', (t) => { t.category = 'Security'; }],
      ['an unknown runsOn value', (t) => { t.runsOn = ['Container']; }],
      ['the EOL Node16 handler', (t) => { t.execution.Node16 = { target: 'index.js' }; }],
      ['the retired Node20 key', (t) => { t.execution = { Node20: { target: 'index.js' } }; }],
      ['a Node handler without target', (t) => { t.execution.Node24 = { argumentFormat: '' }; }],
      ['an input name with a dash', (t) => { t.inputs[0].name = 'azure-subscription'; }],
      ['an unknown input type', (t) => { t.inputs[1].type = 'text'; }],
      ['"required": "true" as a string', (t) => { t.inputs[1].required = 'true'; }],
      ['a bad connectedService type', (t) => { t.inputs[0].type = 'connectedService:'; }],
      ['a missing instanceNameFormat', (t) => { delete t.instanceNameFormat; }],
      ['a minimumAgentVersion with a suffix', (t) => { t.minimumAgentVersion = '4.248.0-beta'; }],
      ['a version without Patch', (t) => { delete t.version.Patch; }],
      ['a version Major as a string', (t) => { t.version.Major = '1'; }],
      ['an output variable with a dot', (t) => { t.outputVariables[0].name = 'gate.verdict'; }],
      ['a non-string message', (t) => { t.messages = { Loc: 3 }; }],
      ['an unknown restrictions mode', (t) => { t.restrictions = { commands: { mode: 'none' } }; }],
    ];
    for (const [what, breakIt] of broken) {
      it(`rejects ${what}`, () => {
        const t = sampleTask();
        breakIt(t);
        assert.notDeepEqual(validate(t), [], `schema accepted ${what}`);
      });
    }
  });

  describe('our rules', () => {
    it('find nothing wrong with the sample tasks', () => {
      assert.deepEqual(taskRuleProblems(sampleTask()), []);
      assert.deepEqual(taskRuleProblems(serverTask()), []);
    });

    const broken: Array<[string, RegExp, (t: TaskJson) => void]> = [
      ['only Node24 declared', /both Node24 and Node20_1/, (t) => { delete t.execution.Node20_1; }],
      ['handlers with different targets', /different targets/, (t) => { t.execution.Node20_1.target = 'other.js'; }],
      ['an EOL handler', /end-of-life/, (t) => { t.execution.Node10 = { target: 'index.js' }; }],
      ['restricted command mode', /restricted command mode/, (t) => { t.restrictions = { commands: { mode: 'restricted' } }; }],
      ['an input without helpMarkDown', /workspaceName has no helpMarkDown/, (t) => { delete t.inputs[1].helpMarkDown; }],
      ['a blank helpMarkDown', /level has no helpMarkDown/, (t) => { t.inputs[2].helpMarkDown = '  '; }],
      ['$(x) that is not an input', /\$\(workspace\)/, (t) => { t.instanceNameFormat = 'Sample: $(workspace)'; }],
      ['a pickList default outside its options', /default medium/, (t) => { t.inputs[2].defaultValue = 'medium'; }],
      ['a duplicate input alias', /used twice/, (t) => { t.inputs[1].aliases = ['azureSubscription']; }],
      ['an input in an undeclared group', /group advanced, which is not declared/, (t) => { t.inputs[2].groupName = 'advanced'; }],
      ['a duplicate output variable', /declared twice/, (t) => { t.outputVariables.push({ name: 'verdict' }); }],
      ['an agent older than 4.248.0', /minimumAgentVersion/, (t) => { t.minimumAgentVersion = '3.232.1'; }],
      ['no minimumAgentVersion', /minimumAgentVersion/, (t) => { delete t.minimumAgentVersion; }],
      ['a server task with a Node handler', /cannot also have Node/, (t) => { Object.assign(t, serverTask()); t.execution.Node24 = { target: 'index.js' }; }],
      ['a server task that runs on Agent', /only on Server/, (t) => { Object.assign(t, serverTask()); t.runsOn = ['Agent']; }],
    ];
    for (const [what, expected, breakIt] of broken) {
      it(`report ${what}`, () => {
        const t = sampleTask();
        breakIt(t);
        const problems = taskRuleProblems(t);
        assert.ok(problems.some((p) => expected.test(p)), `expected ${expected} in ${JSON.stringify(problems)}`);
      });
    }

    it('allow pipeline variables such as $(Build.BuildId) in instanceNameFormat', () => {
      const t = sampleTask();
      t.instanceNameFormat = 'Sample $(Build.BuildId) $(WORKSPACENAME)';
      assert.deepEqual(taskRuleProblems(t), []);
    });

    it('require the handler target to have a TypeScript source in the task folder', () => {
      const t = sampleTask();
      const dir = join(REPO, 'tasks', taskDirs[0] ?? 'SecurityGate');
      assert.deepEqual(taskRuleProblems(t, dir).filter((p) => /source/.test(p)), existsSync(join(dir, 'index.ts')) ? [] : [`handler target index.js has no source index.ts in the task folder`]);
      t.execution.Node24.target = t.execution.Node20_1.target = 'no-such-entry.js';
      assert.ok(taskRuleProblems(t, dir).some((p) => /no-such-entry\.js has no source no-such-entry\.ts/.test(p)));
    });
  });
});
