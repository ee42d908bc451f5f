/**
 * Runs probeEndpoints in a process of its own and reports what handles are left once it resolves. Argument: JSON
 * `{ targets, options }`. Prints one JSON line `{ reports, leftover }` and then does nothing: the process must exit
 * by itself, which it cannot while any probe socket or timer is still alive.
 */
import { probeEndpoints, type ProbeOptions, type ProbeTarget } from '../../../shared/probe';

const LEAKY = /TCP|TLS|Timeout|GetAddrInfo|Connect/;

async function main(): Promise<void> {
  const { targets, options } = JSON.parse(process.argv[2] ?? '{}') as { targets: ProbeTarget[]; options: ProbeOptions };
  const reports = await probeEndpoints(targets, options);
  // Handles of destroyed sockets are released on the next turns of the loop.
  await new Promise((r) => setImmediate(r));
  await new Promise((r) => setImmediate(r));
  const leftover = process.getActiveResourcesInfo().filter((r) => LEAKY.test(r));
  process.stdout.write(`${JSON.stringify({ reports, leftover, node: process.versions.node })}\n`);
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack ?? err}\n`);
  process.exitCode = 1;
});
