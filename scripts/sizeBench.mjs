// The `size` part of npm run bench (scripts/bench.mjs): the .vsix size against the 15 MB goal, each task's
// shipped files, and what onnxruntime-web's WebAssembly adds (raw, and deflated as the .vsix stores it).
// measureSize() packages from the bundles already in dist/ (scripts/package.mjs --no-build) and returns the
// figures; renderSize() turns them into the document's section and summary row.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { deflateRawSync } from 'node:zlib';

export const GOAL_BYTES = 15_000_000; // 15 MB, decimal: the smaller reading of the goal
const WASM_DIR = 'node_modules/onnxruntime-web/dist';

/** Packages dist/ into a .vsix and measures it; throws with tfx's or package.mjs's message on failure. */
export function measureSize(root, { build = false } = {}) {
  const r = spawnSync(process.execPath, ['scripts/package.mjs', ...(build ? [] : ['--no-build'])], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`scripts/package.mjs failed: ${(r.stderr || r.stdout).trim().split('\n').slice(0, 6).join(' | ')}`);
  const dist = path.join(root, 'dist');
  const version = JSON.parse(readFileSync(path.join(root, 'vss-extension.json'), 'utf8')).version;
  const name = readdirSync(dist).find((f) => f.endsWith(`-${version}.vsix`));
  if (!name) throw new Error(`no dist/*-${version}.vsix after packaging`);
  const meta = JSON.parse(readFileSync(path.join(dist, 'bundle-meta.json'), 'utf8'));
  const stage = path.join(dist, 'extension', 'tasks');
  const tasks = {};
  for (const t of readdirSync(stage).sort()) {
    const files = {};
    for (const f of readdirSync(path.join(stage, t)).sort()) {
      const buf = readFileSync(path.join(stage, t, f));
      files[f] = { bytes: buf.length, deflatedBytes: deflateRawSync(buf, { level: 9 }).length };
    }
    tasks[t] = { bundled: Boolean(meta.tasks?.[t]), files };
  }
  // The plain (non-threaded-JSEP/JSPI/asyncify) build is the one the Node build of onnxruntime-web loads.
  const wasm = [];
  if (existsSync(path.join(root, WASM_DIR))) {
    for (const f of readdirSync(path.join(root, WASM_DIR)).filter((f) => f.endsWith('.wasm')).sort()) {
      const buf = readFileSync(path.join(root, WASM_DIR, f));
      wasm.push({ file: `${WASM_DIR}/${f}`, bytes: buf.length, deflatedBytes: deflateRawSync(buf, { level: 9 }).length });
    }
  }
  return { vsix: { name, bytes: statSync(path.join(dist, name)).size }, goalBytes: GOAL_BYTES, tasks, wasm };
}

const mb = (n) => `${(n / 1e6).toFixed(2)} MB`;
const num = (n) => n.toLocaleString('en-US');

/** { summaryRow, section } Markdown for the figures of measureSize(). */
export function renderSize(s) {
  const shippedWasm = Object.values(s.tasks).some((t) => Object.keys(t.files).some((f) => f.endsWith('.wasm')));
  const plain = s.wasm.find((w) => /ort-wasm-simd-threaded\.wasm$/.test(w.file));
  const met = s.vsix.bytes <= s.goalBytes;
  // Without the runtime in the package yet, the goal is judged on the package plus the runtime's deflated size.
  const projected = shippedWasm || !plain ? s.vsix.bytes : s.vsix.bytes + plain.deflatedBytes;
  const projectedMet = projected <= s.goalBytes;
  const summaryRow = `| .vsix ≤ 15 MB with the ONNX runtime included | ${mb(s.vsix.bytes)}${shippedWasm ? '' : ` (+ ${mb(plain?.deflatedBytes ?? 0)} runtime not yet shipped = ${mb(projected)})`} | ${met && projectedMet ? '✅ met' : '❌ missed'} |`;
  const lines = [
    '## Package size: the .vsix ≤ 15 MB with the ONNX runtime included',
    '',
    `\`${s.vsix.name}\`, built by \`scripts/package.mjs --no-build\` from this run's bundles: **${num(s.vsix.bytes)} bytes (${mb(s.vsix.bytes)})**`,
    `against a goal of ${num(s.goalBytes)} bytes. The package is a zip (deflate level 9); the agent downloads it once per task version.`,
    shippedWasm ? 'A task ships a `.wasm` file: the ONNX runtime is included in the figure.' : `No task ships a \`.wasm\` yet (ExplainabilityReport's bundle will): with the plain runtime added, ${mb(projected)}.`,
    '',
    '| Task | File | Bytes | Deflated (as in the .vsix) |',
    '|---|---|---|---|',
  ];
  for (const [t, info] of Object.entries(s.tasks)) {
    let total = 0, totalDeflated = 0;
    for (const [f, b] of Object.entries(info.files)) {
      lines.push(`| ${t} | ${f} | ${num(b.bytes)} | ${num(b.deflatedBytes)} |`);
      total += b.bytes; totalDeflated += b.deflatedBytes;
    }
    lines.push(`| **${t}** | *total${info.bundled ? '' : ' (agentless: no code)'}* | **${num(total)}** | **${num(totalDeflated)}** |`);
  }
  lines.push('', 'onnxruntime-web\'s WebAssembly builds (only one is needed: the plain SIMD build that its Node entry loads):', '', '| File | Bytes | Deflated |', '|---|---|---|');
  for (const w of s.wasm) lines.push(`| \`${w.file}\` | ${num(w.bytes)} (${mb(w.bytes)}) | ${num(w.deflatedBytes)} (${mb(w.deflatedBytes)}) |`);
  lines.push('', 'Each task carries its own copy of what it uses (agents download tasks one by one), so shared code such as `sdk.js` counts once per task.', '');
  return { summaryRow, section: lines.join('\n'), met: met && projectedMet };
}

/** The benchmarks document with the size section appended and its row added to the Summary table. */
export function withSize(doc, rendered) {
  const lines = doc.split('\n');
  const summary = lines.indexOf('## Summary');
  if (summary >= 0) {
    let i = summary + 1;
    while (i < lines.length && !lines[i].startsWith('|')) i++;
    while (i < lines.length && lines[i].startsWith('|')) i++;
    lines.splice(i, 0, rendered.summaryRow);
  }
  return `${lines.join('\n').replace(/\n*$/, '\n')}\n${rendered.section}`;
}
