// The first line goes out before the heavy modules load, so the agent log shows the task alive at once.
console.log('MLOps Gates ExplainabilityReport: explaining the model and judging it against its thresholds');
// Node ≥ 22.1 keeps V8's compiled code of the bundle between runs on the same agent (in the OS temp folder).
try {
  (require('node:module') as { enableCompileCache?: () => unknown }).enableCompileCache?.();
} catch {
  /* a cache we cannot write is only a slower start */
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
(require('./main') as typeof import('./main')).main();
