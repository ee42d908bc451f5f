/** After every test: no secret any test registered may appear in any output any test recorded. */
import * as assert from 'node:assert/strict';
import { sweep } from './agent/sweep';

after('secret sweep over every recorded output', function () {
  const r = sweep();
  // A sweep over nothing proves nothing: the suite must have fed it.
  if (process.env.MLOPS_SWEEP_REQUIRED !== '0' && r.outputs > 0) assert.ok(r.secrets > 0, 'outputs were recorded but no secret was registered');
  assert.deepEqual(r.leaks, []);
  console.log(`  secret sweep: ${r.secrets} secrets checked against ${r.outputs} outputs, no leak`);
});
