/**
 * The local Azure as a child process (its CLI, build/test/azure/main.js), so that its work runs beside the
 * bench and the task rather than on their event loops, and its control API over loopback HTTPS.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { RequestRecord } from '../test/azure/control';
import type { LocalAzure } from '../test/azure/server';

/** What the CLI prints: the fields of LocalAzure without its methods. */
export type EmulatorInfo = Omit<LocalAzure, 'faults' | 'requests' | 'resetRequests' | 'stats' | 'settings' | 'advanceClock' | 'state' | 'close'> & { pid: number };

export interface EmulatorProcess {
  info: EmulatorInfo;
  requests(): Promise<RequestRecord[]>;
  resetRequests(): Promise<void>;
  stop(): Promise<void>;
}

export interface EmulatorOptions {
  repo: string;
  caDir: string;
  scenarios: string[];
  latencyMs: number;
  pageSize: number;
}

export async function startEmulator(opts: EmulatorOptions): Promise<EmulatorProcess> {
  const args = [
    join(opts.repo, 'build/test/azure/main.js'),
    '--ca-dir', opts.caDir,
    '--scenario', opts.scenarios.join(','),
    '--latency-ms', String(opts.latencyMs),
    '--page-size', String(opts.pageSize),
  ];
  const child = spawn(process.execPath, args, { cwd: opts.repo, stdio: ['ignore', 'pipe', 'inherit'] });
  const info = await new Promise<EmulatorInfo>((resolve, reject) => {
    const rl = createInterface({ input: child.stdout! });
    rl.once('line', (line) => resolve(JSON.parse(line) as EmulatorInfo));
    child.once('exit', (code) => reject(new Error(`the local Azure exited (${code}) before it was ready`)));
  });
  const ca = readFileSync(info.caCertPath);
  const control = (method: string, path: string) => controlCall(info.armUrl, ca, method, path);
  return {
    info,
    requests: async () => (JSON.parse(await control('GET', '_emulator/requests')) as { value: RequestRecord[] }).value,
    resetRequests: async () => {
      await control('DELETE', '_emulator/requests');
    },
    stop: () => stopChild(child),
  };
}

function controlCall(base: string, ca: Buffer, method: string, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, base), { method, ca }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => ((res.statusCode ?? 500) < 300 ? resolve(body) : reject(new Error(`${method} ${path}: ${res.statusCode} ${body}`))));
    });
    req.on('error', reject);
    req.end();
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
