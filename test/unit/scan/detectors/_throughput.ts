/**
 * Throughput of the detectors on ordinary code, for the performance budget (not a mocha test):
 *   node build/test/unit/scan/detectors/_throughput.js [root] [megabytes] [repeats]
 * Reads about `megabytes` (default 50) of .js/.ts/.json/.md/.py/.yml files under `root` (default node_modules)
 * as latin1 strings (what the scanner core hands detectors), then reports the best of `repeats` (default 3):
 *  1. per file, every detector's scan() whether or not its anchors are present (no prefilter);
 *  2. per file, only detectors whose anchors are present (hasAnchor), plus the prefilter itself;
 *  3. the same 50 MB as one concatenated text, per detector, each run paying its own keyword pass.
 * Also prints findings per rule for look-alike review (rule, file, offset, message: never the value).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ALL_DETECTORS, hasAnchor, resolveOverlaps } from '../../../../shared/scan/detectors';
import type { SecretMatch } from '../../../../shared/scan/types';
import { clearKeywordCache } from '../../../../shared/scan/detectors/_keywords';

const root = process.argv[2] ?? 'node_modules';
const budget = Number(process.argv[3] ?? 50) * 1024 * 1024;
const repeats = Number(process.argv[4] ?? 3);
const EXT = new Set(['.js', '.ts', '.mjs', '.cjs', '.json', '.md', '.py', '.yml', '.yaml']);

function collect(): Array<{ path: string; text: string }> {
  const out: Array<{ path: string; text: string }> = [];
  let total = 0;
  const stack = [root];
  while (stack.length > 0 && total < budget) {
    const dir = stack.pop()!;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) stack.push(p);
      else if (e.isFile() && EXT.has(path.extname(e.name)) && fs.statSync(p).size <= 4 * 1024 * 1024) {
        const text = fs.readFileSync(p, 'latin1');
        out.push({ path: p, text });
        total += text.length;
        if (total >= budget) break;
      }
    }
  }
  return out;
}

const MB = (chars: number) => chars / (1024 * 1024);

function best(fn: () => void): number {
  let min = Infinity;
  for (let r = 0; r < repeats; r++) {
    const t0 = process.hrtime.bigint();
    fn();
    min = Math.min(min, Number(process.hrtime.bigint() - t0) / 1e9);
  }
  return min;
}

const files = collect();
const chars = files.reduce((n, f) => n + f.text.length, 0);
console.log(`${files.length} files, ${MB(chars).toFixed(1)} MB from ${root}; best of ${repeats}\n`);

const noPrefilter = best(() => {
  for (const f of files) for (const d of ALL_DETECTORS) d.scan(f.text, { path: f.path });
});
const prefilterOnly = best(() => {
  for (const f of files) for (const d of ALL_DETECTORS) hasAnchor(f.text, d);
});
let found: Array<{ path: string; m: SecretMatch }> = [];
const withPrefilter = best(() => {
  found = [];
  for (const f of files) {
    const all: SecretMatch[] = [];
    for (const d of ALL_DETECTORS) if (hasAnchor(f.text, d)) all.push(...d.scan(f.text, { path: f.path }));
    for (const m of resolveOverlaps(all)) found.push({ path: f.path, m });
  }
});
console.log(`per file, all ${ALL_DETECTORS.length} detectors, no prefilter:   ${(MB(chars) / noPrefilter).toFixed(0)} MB/s`);
console.log(`per file, prefilter (hasAnchor) only:           ${(MB(chars) / prefilterOnly).toFixed(0)} MB/s`);
console.log(`per file, prefilter + anchored detectors:       ${(MB(chars) / withPrefilter).toFixed(0)} MB/s`);

const blob = files.map((f) => f.text).join('\n');
console.log(`\none ${MB(blob.length).toFixed(1)} MB concatenated text, per detector (anchors present: yes/no):`);
const rows: Array<[string, number, boolean]> = [];
for (const d of ALL_DETECTORS) {
  // Each run pays its own keyword pass: in a file scan the first keyword detector pays it for all.
  const t = best(() => {
    clearKeywordCache();
    d.scan(blob, { path: 'concatenated.js' });
  });
  rows.push([d.meta.id, MB(blob.length) / t, hasAnchor(blob, d)]);
}
for (const [id, rate, anchored] of rows.sort((a, b) => a[1] - b[1])) console.log(`  ${id.padEnd(24)} ${rate.toFixed(0).padStart(7)} MB/s  ${anchored ? 'yes' : 'no'}`);
const sequential = rows.reduce((s, [, rate]) => s + 1 / rate, 0);
console.log(`  all detectors one after another on the blob: ${(1 / sequential).toFixed(0)} MB/s`);

const counts = new Map<string, number>();
const example = new Map<string, string>();
for (const { path: p, m } of found) {
  counts.set(m.ruleId, (counts.get(m.ruleId) ?? 0) + 1);
  if (!example.has(m.ruleId)) example.set(m.ruleId, `${p} @${m.start}: ${m.message}`);
}
console.log('\nfindings per rule (review for look-alikes):');
for (const [id, n] of [...counts].sort((a, b) => b[1] - a[1])) console.log(`  ${id.padEnd(24)} ${String(n).padStart(5)}  e.g. ${example.get(id)}`);
