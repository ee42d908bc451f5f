/**
 * Where a task process's main thread spent its time, by area, from a V8 CPU profile (.cpuprofile). Each sample
 * goes to the first area whose pattern matches any frame of its stack (frames named after their original source
 * file when the bundle's source map is at hand), so the order of AREAS decides overlaps: code loaded lazily inside
 * a probe counts as module loading, a probe's TLS call as the probe's.
 */
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { fileURLToPath } from 'node:url';

export interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number }; children?: number[] }>;
  samples: number[];
  timeDeltas: number[];
}

export const AREAS: ReadonlyArray<readonly [string, RegExp]> = [
  ['idle (waiting for I/O)', /^\(idle\)\s*$/],
  ['garbage collection', /^\(garbage collector\)\s*$/],
  // Compiling code, and the lazy load of the bundle's sdk.js on first use (its top-level code included).
  ['loading and compiling modules', /compileForInternalLoader|wrapSafe|loadSource|sdk-entry/],
  ['live probes (shared/probe)', /shared\/probe\//],
  ['monitoring (metrics, activity log)', /shared\/(azure\/monitoring|monitoring\/)/],
  ['reports (policy, SARIF, evidence, summary)', /shared\/report\/|gates\/endpointCheck\/(sections|invokers)|rules\/policy/],
  ['rules', /shared\/rules\//],
  ['sign-in (identity, MSAL, OIDC)', /@azure\/identity|msal|shared\/azure\/(oidc|credentials)/],
  ['ARM requests (SDK pipeline, reader, collector)', /core-rest-pipeline|core-client|ts-http-runtime|shared\/azure\//],
  ['TLS handshakes without a JS caller (probes and ARM)', /node:_tls_|node:internal\/tls/],
  ['HTTP and sockets without a JS caller', /node:_http_|node:net|node:internal\/streams|node:internal\/stream_base/],
];
export const OTHER_AREA = 'other';

export interface AreaTime {
  area: string;
  ms: number;
}

export interface CpuByArea {
  /** Sampled time in all, idle included (about the process's wall time after the profiler started). */
  sampledMs: number;
  areas: AreaTime[];
}

/** Names a frame `function file` (file: original source path when known, else the script URL). */
export type FrameNamer = (f: CpuProfile['nodes'][number]['callFrame']) => string;

export function cpuByArea(p: CpuProfile, nameOf: FrameNamer): CpuByArea {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const areaOfNode = new Map<number, string>();
  const areaOf = (leaf: number): string => {
    const known = areaOfNode.get(leaf);
    if (known) return known;
    const stack: string[] = [];
    for (let cur: number | undefined = leaf; cur !== undefined; cur = parent.get(cur)) stack.push(nameOf(byId.get(cur)!.callFrame));
    const hit = AREAS.find(([, re]) => stack.some((s) => re.test(s)))?.[0] ?? OTHER_AREA;
    areaOfNode.set(leaf, hit);
    return hit;
  };
  const totals = new Map<string, number>();
  let sampled = 0;
  p.samples.forEach((id, i) => {
    const us = p.timeDeltas[i] ?? 0;
    sampled += us;
    const a = areaOf(id);
    totals.set(a, (totals.get(a) ?? 0) + us);
  });
  const areas = [...totals].map(([area, us]) => ({ area, ms: Math.round(us / 1000) })).sort((a, b) => b.ms - a.ms);
  return { sampledMs: Math.round(sampled / 1000), areas };
}

/** A FrameNamer that maps bundled frames through their `.map` files (read once per script). */
export function sourceMapNamer(): FrameNamer {
  const maps = new Map<string, SourceMap | null>();
  const mapOf = (url: string): SourceMap | null => {
    if (!maps.has(url)) {
      let m: SourceMap | null = null;
      try {
        const file = url.startsWith('file:') ? fileURLToPath(url) : url;
        if (existsSync(`${file}.map`)) m = new SourceMap(JSON.parse(readFileSync(`${file}.map`, 'utf8')));
      } catch {
        m = null;
      }
      maps.set(url, m);
    }
    return maps.get(url)!;
  };
  return (f) => {
    const m = f.url ? mapOf(f.url) : null;
    const e = m?.findEntry(f.lineNumber, f.columnNumber) as { originalSource?: string } | undefined;
    return `${f.functionName || '(anonymous)'} ${e?.originalSource ?? f.url}`;
  };
}
