import * as assert from 'node:assert/strict';
import { Limiter } from '../../../shared/azure/concurrency';

const tick = () => new Promise<void>((r) => setImmediate(r));

describe('Limiter', () => {
  it('runs at most `limit` calls at once, in the order they were queued, whenever they arrive', async () => {
    const limiter = new Limiter(2);
    let active = 0;
    let peak = 0;
    const started: number[] = [];
    const releases: Array<() => void> = [];
    const call = (i: number) => limiter.run(async () => {
      started.push(i);
      peak = Math.max(peak, ++active);
      await new Promise<void>((r) => releases.push(r));
      active--;
      return i * 10;
    });
    const first = [call(0), call(1), call(2)];
    await tick();
    assert.deepEqual(started, [0, 1]);
    releases.shift()!();
    const late = call(3); // arrives while the queue is not empty
    await tick();
    assert.deepEqual(started, [0, 1, 2]);
    while (releases.length || started.length < 4) {
      releases.shift()?.();
      await tick();
    }
    assert.deepEqual(await Promise.all([...first, late]), [0, 10, 20, 30]);
    assert.deepEqual(started, [0, 1, 2, 3]);
    assert.equal(peak, 2);
  });

  it('a call that throws or rejects frees its place and reaches only its caller', async () => {
    const limiter = new Limiter(1);
    const bad = limiter.run(() => { throw new Error('sync'); });
    const worse = limiter.run(() => Promise.reject(new Error('async')));
    const good = limiter.run(async () => 'ok');
    await assert.rejects(bad, /sync/);
    await assert.rejects(worse, /async/);
    assert.equal(await good, 'ok');
  });

  it('refuses a limit below 1', () => {
    assert.throws(() => new Limiter(0), RangeError);
  });
});
