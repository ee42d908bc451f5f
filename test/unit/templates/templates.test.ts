/**
 * Every pipeline template under templates/ parses, references only tasks that exist (this extension's, by
 * their task.json, or the few built-in ones listed here), sets only inputs those tasks have, uses only
 * parameters it declares, and includes only templates that exist.
 */
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { parse } from 'yaml';

const REPO = resolve(__dirname, '..', '..', '..', '..');
const TEMPLATES = join(REPO, 'templates');

/** Built-in Azure Pipelines tasks the templates may use, with the inputs they are given. */
const BUILT_IN: Record<string, string[]> = {
  'AzureCLI@2': ['azureSubscription', 'connectedServiceNameARM', 'scriptType', 'scriptLocation', 'scriptPath', 'inlineScript', 'arguments', 'workingDirectory', 'addSpnToEnvironment'],
};

interface TaskJson { name: string; version: { Major: number }; inputs: { name: string; aliases?: string[]; required?: boolean; defaultValue?: string }[] }

function ourTasks(): Map<string, TaskJson> {
  const out = new Map<string, TaskJson>();
  for (const d of readdirSync(join(REPO, 'tasks'))) {
    const p = join(REPO, 'tasks', d, 'task.json');
    if (!existsSync(p)) continue;
    const t = JSON.parse(readFileSync(p, 'utf8')) as TaskJson;
    out.set(`${t.name}@${t.version.Major}`, t);
  }
  return out;
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? yamlFiles(p) : /\.ya?ml$/.test(n) ? [p] : [];
  });
}

/** Every mapping in the document, depth first. */
function* mappings(node: unknown): Generator<Record<string, unknown>> {
  if (Array.isArray(node)) for (const x of node) yield* mappings(x);
  else if (node && typeof node === 'object') {
    yield node as Record<string, unknown>;
    for (const v of Object.values(node)) yield* mappings(v);
  }
}

describe('pipeline templates', () => {
  const files = existsSync(TEMPLATES) ? yamlFiles(TEMPLATES) : [];
  const tasks = ourTasks();

  it('exist: the chain and one step template per gate task', () => {
    const names = files.map((f) => relative(TEMPLATES, f).split('\\').join('/'));
    for (const n of ['stages/train-to-deploy.yml', 'steps/security-gate.yml', 'steps/explainability-report.yml', 'steps/model-registry-promote.yml', 'steps/endpoint-hardening-check.yml']) {
      assert.ok(names.includes(n), `templates/${n} is missing`);
    }
  });

  it('the chain runs train → SecurityGate → ExplainabilityReport → ModelRegistryPromote → deploy on an environment → EndpointHardeningCheck', () => {
    const text = readFileSync(join(TEMPLATES, 'stages', 'train-to-deploy.yml'), 'utf8');
    const order = ['stage: train', 'steps/security-gate.yml', 'steps/explainability-report.yml', 'steps/model-registry-promote.yml', 'environment:', 'steps/endpoint-hardening-check.yml'];
    const at = order.map((s) => text.indexOf(s));
    for (let i = 0; i < order.length; i++) assert.ok(at[i] >= 0, `${order[i]} is missing`);
    assert.deepEqual([...at].sort((a, b) => a - b), at, 'the stages are out of order');
  });

  for (const file of files) {
    const name = relative(REPO, file);
    describe(name, () => {
      const text = readFileSync(file, 'utf8');
      const doc = parse(text) as Record<string, unknown>;

      it('parses as a YAML mapping', () => {
        assert.ok(doc && typeof doc === 'object' && !Array.isArray(doc));
      });

      it('uses only existing tasks, with inputs they have (our tasks: every required input set)', () => {
        let steps = 0;
        for (const m of mappings(doc)) {
          if (typeof m.task !== 'string') continue;
          steps++;
          const inputs = Object.keys((m.inputs ?? {}) as object);
          const ours = tasks.get(m.task);
          if (ours) {
            const known = new Set(ours.inputs.flatMap((i) => [i.name, ...(i.aliases ?? [])]));
            for (const i of inputs) assert.ok(known.has(i), `${m.task} has no input '${i}' (tasks/${ours.name}/task.json)`);
            for (const i of ours.inputs.filter((x) => x.required && !x.defaultValue)) assert.ok(inputs.includes(i.name), `${m.task} needs input '${i.name}'`);
          } else {
            const builtIn = BUILT_IN[m.task];
            assert.ok(builtIn, `task ${m.task} is neither a task of this extension (${[...tasks.keys()].join(', ')}) nor an allowed built-in`);
            for (const i of inputs) assert.ok(builtIn.includes(i), `${m.task} input '${i}' is not one this test knows`);
          }
        }
        if (name.includes('steps')) assert.ok(steps > 0, 'a step template with no task');
      });

      it('declares every parameter it uses, and includes only templates that exist', () => {
        const declared = new Set(((doc.parameters ?? []) as { name: string }[]).map((p) => p.name));
        for (const m of text.matchAll(/parameters\.(\w+)/g)) assert.ok(declared.has(m[1]), `parameter '${m[1]}' is used but not declared`);
        for (const m of mappings(doc)) {
          if (typeof m.template !== 'string') continue;
          const included = resolve(dirname(file), m.template);
          assert.ok(existsSync(included), `template ${m.template} does not exist`);
          // What it is given must be what it declares, and what it needs without a default must be given.
          const params = ((parse(readFileSync(included, 'utf8')) as { parameters?: { name: string; default?: unknown }[] }).parameters ?? []);
          const given = Object.keys((m.parameters ?? {}) as object);
          for (const g of given) assert.ok(params.some((p) => p.name === g), `${m.template} declares no parameter '${g}'`);
          for (const p of params.filter((x) => x.default === undefined)) assert.ok(given.includes(p.name), `${m.template} needs parameter '${p.name}'`);
        }
      });
    });
  }
});
