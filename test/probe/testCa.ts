/**
 * The test CA the probe tests trust. Trust cannot be handed to the probe (the product has no such switch): it
 * comes from NODE_EXTRA_CA_CERTS, which Node reads at start-up, so the tests issue their certificates from the CA
 * that variable names and refuse to run under any other.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { ensureTestCa, type TestCa } from '../azure/ca';

export function trustedTestCa(): TestCa {
  const extra = process.env.NODE_EXTRA_CA_CERTS;
  const hint = 'run `node build/test/azure/ca.js .cache/test-ca` and start mocha with NODE_EXTRA_CA_CERTS=.cache/test-ca/ca.pem';
  if (!extra) throw new Error(`NODE_EXTRA_CA_CERTS is not set: ${hint}`);
  const dir = dirname(resolve(extra));
  if (basename(extra) !== 'ca.pem' || !existsSync(join(dir, 'ca-key.pem'))) {
    throw new Error(`NODE_EXTRA_CA_CERTS=${extra} is not the project's test CA (no ca-key.pem beside it): ${hint}`);
  }
  return ensureTestCa(dir);
}

/** A scratch folder removed by the returned function. */
export function scratchDir(prefix: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
