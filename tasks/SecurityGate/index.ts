// The first line goes out before the heavy modules load, so the agent log shows the task alive at once.
console.log('MLOps Gates SecurityGate: auditing an Azure Machine Learning workspace');
// eslint-disable-next-line @typescript-eslint/no-require-imports
(require('./main') as typeof import('./main')).main();
