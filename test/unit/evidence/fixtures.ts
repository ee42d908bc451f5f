/** Shared pieces of the evidence tests: a model folder, evidence records, keys. All generated at run time. */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildEvidence, type EvidenceRecord } from '../../../shared/report/evidence';
import type { Severity } from '../../../shared/rules/types';
import { Ed25519Signer } from '../../../shared/evidence/keys';
import type { ModelRef } from '../../../shared/evidence/statement';
import { registerSecret } from '../../agent/sweep';

export const SUB = '8f2d4c1a-57b3-4e9f-a0c6-2b7e9d13f458';
export const WS_ID = `/subscriptions/${SUB}/resourceGroups/rg-ml-hardened/providers/Microsoft.MachineLearningServices/workspaces/mlw-hardened`;
export const MODEL: ModelRef = { name: 'credit-risk', version: '2', assetId: `${WS_ID}/models/credit-risk/versions/2` };

const ZERO: Record<Severity, number> = { critical: 0, high: 0, medium: 0, low: 0, info: 0 };

export function record(gate: string, verdict: 'passed' | 'failed', finishedAt: string, over: Partial<Record<Severity, number>> = {}): EvidenceRecord {
  const finished = new Date(finishedAt);
  return buildEvidence({
    gate,
    gateVersion: '0.5.0',
    outcome: { active: [], waived: [], warnings: [], threshold: 'high', verdict, counts: { ...ZERO, ...over } },
    inputs: { workspaceName: 'mlw-hardened', failOnSeverity: 'high' },
    targets: [WS_ID],
    startedAt: new Date(finished.getTime() - 4000),
    finishedAt: finished,
    pipeline: { runUrl: 'https://dev.azure.com/demo-org/mlops-gates/_build/results?buildId=7', runId: 7, attempt: 1 },
    source: { repository: 'https://dev.azure.com/demo-org/mlops-gates/_git/ml', commit: 'c0ffee'.padEnd(40, '0') },
  });
}

/** A model folder: MLmodel, conda.yaml and random weights in a subfolder. */
export async function makeModelDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'mlops-evidence-'));
  await mkdir(join(dir, 'model'));
  await writeFile(join(dir, 'MLmodel'), 'flavors:\n  onnx:\n    onnx_version: 1.16.0\n');
  await writeFile(join(dir, 'conda.yaml'), 'dependencies:\n  - python=3.11\n');
  await writeFile(join(dir, 'model', 'weights.onnx'), randomBytes(50_000));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** A fresh Ed25519 key pair; the private PEM is registered with the secret sweep. */
export function ed25519Pair(): { signer: Ed25519Signer; privatePem: string } {
  const { privateKey } = generateKeyPairSync('ed25519');
  const privatePem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const seed = Buffer.from(privateKey.export({ format: 'jwk' }).d!, 'base64url');
  registerSecret(privatePem.replace(/-----[A-Z ]+-----|\s/g, ''), seed.toString('base64'), seed.toString('base64url'), seed.toString('hex'));
  return { signer: new Ed25519Signer(privateKey), privatePem };
}
