/**
 * An EndpointReader over plain objects, with the agent's case-insensitive keys, that records what was masked.
 */
import type { EndpointReader } from '../../../shared/pipeline/serviceConnection';

export interface FakeEndpoint {
  url?: string;
  scheme?: string;
  auth?: Record<string, string>;
  data?: Record<string, string>;
}

export interface FakeJob {
  endpoints: Record<string, FakeEndpoint>;
  variables?: Record<string, string>;
}

export type RecordingReader = EndpointReader & { masked: string[] };

function lookup(map: Record<string, string> | undefined, key: string): string | undefined {
  if (!map) return undefined;
  const k = Object.keys(map).find((x) => x.toLowerCase() === key.toLowerCase());
  return k === undefined ? undefined : map[k];
}

export function fakeReader(job: FakeJob): RecordingReader {
  const masked: string[] = [];
  const ep = (id: string) => job.endpoints[id];
  return {
    masked,
    url: (id) => ep(id)?.url,
    scheme: (id) => ep(id)?.scheme,
    authParam: (id, key) => lookup(ep(id)?.auth, key),
    dataParam: (id, key) => lookup(ep(id)?.data, key),
    variable: (name) => lookup(job.variables, name),
    setSecret: (v) => {
      if (/[\r\n]/.test(v)) throw new Error('multi-line secret passed to setSecret (task-lib would throw)');
      masked.push(v);
    },
  };
}
