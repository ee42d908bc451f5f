#!/usr/bin/env node
// Runs the bundled CLI (dist/cli, made by `npm run build`), else the compiled sources (build/, after tsc only).
'use strict';
const path = require('node:path');
const fs = require('node:fs');
// Node >= 22.1 keeps V8's compiled code between runs (a pre-commit hook runs this on every commit). The scan's
// worker threads read the variable when they start, so they load from the same cache.
try {
  const cache = require('node:module').enableCompileCache?.();
  if (cache?.directory && !process.env.NODE_COMPILE_CACHE) process.env.NODE_COMPILE_CACHE = cache.directory;
} catch {
  /* a cache we cannot write is only a slower start */
}
const candidates = [path.join(__dirname, '..', 'dist', 'cli', 'main.js'), path.join(__dirname, '..', 'build', 'shared', 'cli', 'main.js')];
const entry = candidates.find((f) => fs.existsSync(f));
if (!entry) {
  process.stderr.write('mlops-gates: not built yet; run `npm run build` in the mlops-gates folder first.\n');
  process.exit(2);
}
require(entry).main().then((code) => { process.exitCode = code; }, (err) => {
  process.stderr.write(`mlops-gates: unexpected error: ${err && err.message}\n`);
  process.exitCode = 2;
});
