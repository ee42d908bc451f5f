/**
 * CLI: `node build/test/azure/main.js --ca-dir D [--port N] [--scenario insecure,hardened] [--latency-ms N] [--page-size N]`
 * Starts the local Azure, prints one JSON line with its endpoints and its own test credentials, and serves
 * until SIGTERM or SIGINT.
 */
import { startLocalAzure, type LocalAzureOptions } from './server';

function parseArgs(argv: string[]): LocalAzureOptions {
  const opts: LocalAzureOptions = { caDir: '' };
  const num = (flag: string, v: string | undefined) => {
    const n = Number(v);
    if (v === undefined || !Number.isInteger(n) || n < 0) throw new Error(`${flag} needs a non-negative integer`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    switch (flag) {
      case '--ca-dir':
        opts.caDir = value ?? '';
        break;
      case '--port':
        opts.port = num(flag, value);
        break;
      case '--scenario':
      case '--scenarios':
        opts.scenarios = (value ?? '').split(',').map((s) => s.trim()).filter(Boolean);
        break;
      case '--latency-ms':
        opts.latencyMs = num(flag, value);
        break;
      case '--page-size':
        opts.pageSize = num(flag, value);
        break;
      default:
        throw new Error(`unknown argument ${flag}`);
    }
    i++;
  }
  if (!opts.caDir) throw new Error('--ca-dir is required');
  return opts;
}

async function main(): Promise<void> {
  let opts: LocalAzureOptions;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\nusage: node build/test/azure/main.js --ca-dir D [--port N] [--scenario a,b] [--latency-ms N] [--page-size N]\n`);
    process.exit(2);
  }
  const azure = await startLocalAzure(opts);
  const { faults: _f, requests: _r, resetRequests: _rr, stats: _s, settings: _st, advanceClock: _a, state: _state, close: _c, ...info } = azure;
  process.stdout.write(`${JSON.stringify({ ...info, pid: process.pid })}\n`);
  let closing = false;
  const stop = () => {
    if (closing) return;
    closing = true;
    azure.close().then(() => process.exit(0), () => process.exit(1));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((e: unknown) => {
  process.stderr.write(`local Azure failed to start: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
