import { agentHost, type GateHost } from './host';
import { isUserFacing } from './userErrors';

/**
 * The whole life of a task on an agent: the gate, and exactly one result. Exceptions never escape as stack traces: expected ones
 * print their message; unexpected ones print a one-line message and leave the stack to debug logging.
 */
export async function runTask(gate: (host: GateHost) => Promise<void>, host: GateHost = agentHost): Promise<void> {
  try {
    await gate(host);
  } catch (err) {
    if (isUserFacing(err)) {
      host.fail(err.message);
    } else {
      host.debug((err as Error)?.stack ?? String(err));
      host.fail(`Unexpected error: ${(err as Error)?.message ?? String(err)}. Run with system.debug=true for details, and report it if it persists.`);
    }
  }
}

