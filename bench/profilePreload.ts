/**
 * Loaded with `NODE_OPTIONS=--require <this file>` into a task process the bench runs once more, unmodified: when
 * MLOPS_BENCH_CPU_PROFILE names a file, V8's sampling profiler runs from here to the process's exit and its
 * profile (.cpuprofile JSON) is written there. `--cpu-prof` would do the same but is not allowed in NODE_OPTIONS,
 * and the bench spawns the task the way the agent does (`node index.js`).
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';

const out = process.env.MLOPS_BENCH_CPU_PROFILE;
if (out) {
  // Only this process: the variable must not make a child overwrite the file.
  delete process.env.MLOPS_BENCH_CPU_PROFILE;
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: 1000 });
  session.post('Profiler.start');
  // An in-process session answers synchronously, so the profile is written before the process is gone.
  process.on('exit', () => {
    session.post('Profiler.stop', (err, result) => {
      if (!err) writeFileSync(out, JSON.stringify(result.profile));
    });
  });
}
