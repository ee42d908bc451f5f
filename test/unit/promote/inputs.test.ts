import * as assert from 'node:assert/strict';
import { parseSource } from '../../../shared/gates/promote/inputs';
import { InputError } from '../../../shared/pipeline/inputs';

const src = (v: Record<string, string>) => (n: string): string | undefined => v[n];

describe('promote source inputs', () => {
  it('modelName with a version, or latest by default', () => {
    assert.deepEqual(parseSource(src({ modelName: 'credit-risk', modelVersion: '2' })), { kind: 'model', modelName: 'credit-risk', modelVersion: '2' });
    assert.deepEqual(parseSource(src({ modelName: 'credit-risk' })), { kind: 'model', modelName: 'credit-risk', modelVersion: 'latest' });
    assert.deepEqual(parseSource(src({ modelName: 'm', modelVersion: 'LATEST' })), { kind: 'model', modelName: 'm', modelVersion: 'latest' });
  });

  it('sourceJob alone (modelVersion latest, the task default, is tolerated)', () => {
    assert.deepEqual(parseSource(src({ sourceJob: 'train-1' })), { kind: 'job', jobName: 'train-1' });
    assert.deepEqual(parseSource(src({ sourceJob: 'train-1', modelVersion: 'latest' })), { kind: 'job', jobName: 'train-1' });
  });

  it('both, neither, or a version with the job are errors naming the input and the fix', () => {
    const err = (v: Record<string, string>, input: string, msg: RegExp) =>
      assert.throws(() => parseSource(src(v)), (e: unknown) => e instanceof InputError && e.input === input && msg.test(e.message));
    err({ modelName: 'm', sourceJob: 'j' }, 'sourceJob', /not both/);
    err({}, 'modelName', /'modelName'.*or 'sourceJob'/);
    err({ sourceJob: 'j', modelVersion: '3' }, 'modelVersion', /cannot be combined with 'sourceJob'/);
    err({ sourceJob: 'bad job!' }, 'sourceJob', /not valid/);
    err({ modelName: 'm', modelVersion: 'v 1' }, 'modelVersion', /use a version or latest/);
  });
});
