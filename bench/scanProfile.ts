/**
 * Sums V8 CPU profiles (`node --cpu-prof`, one file per thread) into self time per function and per file, so the
 * benchmark can say where a scan spends its CPU. Idle samples are left out: with worker threads the main thread
 * mostly waits.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number } }>;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  input: string;
  threads: number;
  totalMs: number;
  top: Array<{ name: string; where: string; selfMs: number }>;
  byFile: Array<{ file: string; selfMs: number }>;
}

export function summariseProfiles(dir: string, input: string, stripPrefix: string, topN = 15): ProfileSummary {
  const byFn = new Map<string, { name: string; where: string; selfMs: number }>();
  const byFile = new Map<string, number>();
  let total = 0;
  let threads = 0;
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.cpuprofile'))) {
    threads++;
    const p = JSON.parse(readFileSync(join(dir, f), 'utf8')) as CpuProfile;
    const nodes = new Map(p.nodes.map((n) => [n.id, n.callFrame]));
    for (let i = 0; i < p.samples.length; i++) {
      const cf = nodes.get(p.samples[i]);
      if (!cf || cf.functionName === '(idle)') continue;
      const ms = (p.timeDeltas[i] ?? 0) / 1000;
      total += ms;
      const file = cf.url ? cf.url.replace(/^file:\/\//u, '').replace(stripPrefix, '') : cf.functionName;
      const where = cf.url ? `${file}:${cf.lineNumber + 1}` : '';
      const key = `${cf.functionName}@${where}`;
      const e = byFn.get(key) ?? { name: cf.functionName || '(anonymous)', where, selfMs: 0 };
      e.selfMs += ms;
      byFn.set(key, e);
      byFile.set(file, (byFile.get(file) ?? 0) + ms);
    }
  }
  const round = (x: number) => Math.round(x * 10) / 10;
  return {
    input,
    threads,
    totalMs: round(total),
    top: [...byFn.values()].sort((a, b) => b.selfMs - a.selfMs).slice(0, topN).map((x) => ({ ...x, selfMs: round(x.selfMs) })),
    byFile: [...byFile.entries()].sort((a, b) => b[1] - a[1]).slice(0, 12).map(([file, ms]) => ({ file, selfMs: round(ms) })),
  };
}
