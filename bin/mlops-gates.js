#!/usr/bin/env node
// The CLI runs the compiled core (npm run build makes it); the tasks run their own bundles.
'use strict';
let cli;
try {
  cli = require('../build/shared/cli/main.js');
} catch (err) {
  if (err && err.code === 'MODULE_NOT_FOUND' && String(err.message).includes('build/shared/cli/main.js')) {
    process.stderr.write('mlops-gates: not built yet; run `npm run build` in the mlops-gates folder first.\n');
    process.exit(2);
  }
  throw err;
}
cli.main().then((code) => { process.exitCode = code; }, (err) => {
  process.stderr.write(`mlops-gates: unexpected error: ${err && err.message}\n`);
  process.exitCode = 2;
});
