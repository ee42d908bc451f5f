/** Task inputs as flags: derivation from task.json, values into the task parser, messages in flag terms. */
import * as assert from 'node:assert/strict';
import { parseArgs } from 'node:util';
import { parseEndpointCheckInputs } from '../../../shared/gates/endpointCheck/inputs';
import { InputError } from '../../../shared/pipeline/inputs';
import { ENV_INPUTS, envInputValues, envSpecs, flagConflicts, flagHelp, flagInputSource, flagMessage, flagSpecs, kebabCase, parseArgsOptions, plainText, type TaskDefinition } from '../../../shared/cli/taskFlags';
import endpointTask = require('../../../tasks/EndpointHardeningCheck/task.json');
import securityTask = require('../../../tasks/SecurityGate/task.json');

const ENDPOINT = endpointTask as TaskDefinition;
const SECURITY = securityTask as TaskDefinition;

function parse(task: TaskDefinition, argv: string[]) {
  const specs = flagSpecs(task);
  const { values } = parseArgs({ args: argv, options: parseArgsOptions(specs), strict: true, allowPositionals: false });
  return { specs, values };
}

describe('CLI flags from task.json', () => {
  it('gives every input of both tasks exactly one flag, distinct within a task, except secrets, which come from the environment', () => {
    for (const task of [ENDPOINT, SECURITY]) {
      const specs = flagSpecs(task);
      assert.deepEqual(specs.map((s) => s.input), task.inputs.map((i) => i.name).filter((n) => !ENV_INPUTS[n]));
      assert.deepEqual(envSpecs(task).map((s) => [s.input, s.variable]), [['signingKey', 'MLOPS_GATES_SIGNING_KEY']]);
      assert.deepEqual(envInputValues(task, { MLOPS_GATES_SIGNING_KEY: 'k', OTHER: 'x' }), { signingKey: 'k' });
      assert.throws(() => parse(task, ['--signing-key', 'k']), /Unknown option '--signing-key'/, 'a secret has no flag');
      const names = specs.flatMap((s) => (s.kind === 'boolean' ? [s.flag, `no-${s.flag}`] : [s.flag]));
      assert.equal(new Set(names).size, names.length, `${task.name}: duplicate flag`);
      for (const s of specs) assert.match(s.flag, /^[a-z][a-z0-9-]*$/);
    }
  });

  it('uses the short names for the common inputs and kebab-case for the rest (a new input gets one too)', () => {
    const flag = (task: TaskDefinition, input: string) => flagSpecs(task).find((s) => s.input === input)?.flag;
    assert.equal(flag(ENDPOINT, 'resourceGroupName'), 'resource-group');
    assert.equal(flag(ENDPOINT, 'failOnSeverity'), 'fail-on');
    assert.equal(flag(ENDPOINT, 'sarifOutput'), 'sarif');
    assert.equal(flag(ENDPOINT, 'azureSubscription'), 'subscription');
    assert.equal(flag(ENDPOINT, 'probeTimeoutSeconds'), 'probe-timeout-seconds');
    assert.equal(flag(SECURITY, 'auditWorkspace'), 'audit');
    assert.equal(flag(SECURITY, 'scanPath'), 'scan-path');
    const added: TaskDefinition = { ...ENDPOINT, inputs: [...ENDPOINT.inputs, { name: 'maxReplicaCount', type: 'int', label: 'Max replicas', defaultValue: '3' }] };
    assert.equal(flag(added, 'maxReplicaCount'), 'max-replica-count');
    assert.equal(kebabCase('certExpiryDays'), 'cert-expiry-days');
  });

  it('resolves agent variables in defaults to the current folder and reads required, choices and visibleRule', () => {
    const ep = new Map(flagSpecs(ENDPOINT).map((s) => [s.input, s]));
    assert.equal(ep.get('sarifOutput')!.default, './mlops-gates/endpoint-check.sarif');
    assert.equal(ep.get('workspaceName')!.required, true);
    assert.equal(ep.get('failOnSeverity')!.required, false, 'required but defaulted');
    assert.deepEqual(ep.get('failOnSeverity')!.choices, ['critical', 'high', 'medium', 'low', 'none']);
    assert.equal(ep.get('certExpiryDays')!.when, 'with --probe');
    assert.equal(ep.get('probe')!.kind, 'boolean');
    const sg = new Map(flagSpecs(SECURITY).map((s) => [s.input, s]));
    assert.equal(sg.get('scanPath')!.default, '.');
    assert.equal(sg.get('include')!.kind, 'list');
    assert.match(sg.get('scanRepository')!.help, /under --scan-path\b/, 'input names in help text become flags');
  });

  it('feeds the task parser the strings the agent would: booleans, lists, fallbacks', () => {
    const { specs, values } = parse(SECURITY, ['--no-audit', '--include', 'src/**', '--include', 'nb/**', '--fail-on', 'low']);
    const src = flagInputSource(specs, values);
    assert.equal(src('auditWorkspace'), 'false');
    assert.equal(src('scanRepository'), undefined, 'unset stays unset so the parser default applies');
    assert.equal(src('include'), 'src/**\nnb/**');
    assert.equal(src('failOnSeverity'), 'low');
    const ep = parse(ENDPOINT, ['--probe']);
    assert.equal(flagInputSource(ep.specs, ep.values)('probe'), 'true');
    assert.equal(flagInputSource(ep.specs, ep.values, { azureSubscription: 'from-env' })('azureSubscription'), 'from-env');
    const given = parse(ENDPOINT, ['--subscription', 'from-flag']);
    assert.equal(flagInputSource(given.specs, given.values, { azureSubscription: 'from-env' })('azureSubscription'), 'from-flag');
  });

  it('reports --x with --no-x as a contradiction', () => {
    const { specs, values } = parse(ENDPOINT, ['--probe', '--no-probe']);
    assert.deepEqual(flagConflicts(specs, values), ['--probe and --no-probe contradict each other; give one.']);
    assert.deepEqual(flagConflicts(specs, parse(ENDPOINT, ['--no-probe']).values), []);
  });

  it("rewrites the parser's messages to name flags, never input names", () => {
    const { specs, values } = parse(ENDPOINT, ['--subscription', 'sub-1', '--resource-group', 'rg', '--probe-timeout-seconds', '99']);
    let caught: unknown;
    try {
      parseEndpointCheckInputs(flagInputSource(specs, values), { baseDir: '/tmp', outputDir: '/tmp', exists: () => false });
    } catch (err) {
      caught = err;
    }
    assert.ok(caught instanceof InputError);
    assert.equal(flagMessage(caught.message, specs), "Option --workspace is required: an Azure Machine Learning workspace name: 3-33 letters, digits, hyphens or underscores, starting with a letter or digit.");
    const sg = flagSpecs(SECURITY);
    assert.equal(
      flagMessage("Inputs 'auditWorkspace' and 'scanRepository' are both false; set auditWorkspace to true or scan scanPath.", sg),
      'Options --audit and --scan are both false; use --audit or scan --scan-path.',
    );
    assert.equal(flagMessage("Input 'x' has the value 'workspace'.", sg), "Input 'x' has the value 'workspace'.", 'unknown names and plain words stay');
    // An input read from the environment is named by its variable.
    assert.equal(flagMessage("Input 'signingKey' is not a usable key: the PEM body is not valid base64.", sg), 'The environment variable MLOPS_GATES_SIGNING_KEY is not a usable key: the PEM body is not valid base64.');
    assert.equal(
      flagMessage("Both a signing key ('signingKey') and a Key Vault key ('keyVaultKeyId') are set.", sg),
      'Both a signing key (MLOPS_GATES_SIGNING_KEY) and a Key Vault key (--key-vault-key-id) are set.',
    );
  });

  it('turns helpMarkDown into plain text and lists every flag with its label', () => {
    assert.equal(plainText('A `.mlops-gates.yml` file, see [the docs](https://example.test/x) and **this**.'), 'A .mlops-gates.yml file, see the docs (https://example.test/x) and this.');
    const help = flagHelp(flagSpecs(ENDPOINT));
    for (const i of ENDPOINT.inputs.filter((x) => !ENV_INPUTS[x.name])) assert.match(help, new RegExp(`^  --\\S+.*\\s${i.label.replace(/[()]/g, '\\$&')}`, 'm'), i.name);
    assert.match(help, /^ {2}--\[no-\]probe\s+Probe the scoring URIs \(default: on\)$/m);
    assert.doesNotMatch(help, /\$\(Build\./, 'no agent variable in a command-line default');
  });
});
