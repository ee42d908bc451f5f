/** docs/benchmarks.md rows and section for ModelRegistryPromote on a 2 GB model (bench/promote.ts). Pure. */
import type { PromoteBenchResult } from './promote';

const mib = (b: number) => `${(b / 2 ** 20).toLocaleString('en-US', { maximumFractionDigits: 0 })} MiB`;
const sec = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const verdict = (ok: boolean) => (ok ? '✅ met' : '❌ missed');

export function promoteSummaryRows(p: PromoteBenchResult): string[] {
  return [
    `| Promotion of a ${mib(p.modelBytes)} model by reference writes no model bytes through the agent | ${mib(p.byReference.modelBytesWritten)} written | ${verdict(p.byReference.modelBytesWritten === 0)} |`,
    `| Streamed workspace copy of ${mib(p.modelBytes)}: task peak RSS < ${p.streamed.goalRssMb} MB | ${p.streamed.peakRssMb.toFixed(0)} MB | ${verdict(p.streamed.peakRssMb < p.streamed.goalRssMb)} |`,
  ];
}

export function promoteSection(p: PromoteBenchResult): string[] {
  return [
    '## ModelRegistryPromote on a 2 GB model',
    '',
    `One ${mib(p.modelBytes)} file of random bytes in Azurite (HTTPS, OAuth), sealed evidence over its sha256, the bundled task run as the agent runs it (${p.node}).`,
    'Bytes are counted from Azurite\'s access log of the run; peak RSS is the task process\'s VmHWM.',
    '',
    '| | Registry, by reference | Workspace → workspace |',
    '|---|---|---|',
    `| Action | ${p.byReference.action} | ${p.streamed.action} (${p.streamed.modes}) |`,
    `| Model bytes written by the task | ${mib(p.byReference.modelBytesWritten)} (${p.byReference.putRequests} model-blob writes; the bundle only) | ${mib(p.modelBytes)}, in 8 MiB blocks |`,
    `| Bytes read by the task | ${mib(p.byReference.bytesRead)} (digest against the evidence) | ${mib(p.streamed.bytesRead)} (digest, then the copy) |`,
    `| Peak RSS of the task | ${p.byReference.peakRssMb.toFixed(0)} MB | ${p.streamed.peakRssMb.toFixed(0)} MB |`,
    `| Wall time | ${sec(p.byReference.wallMs)} | ${sec(p.streamed.wallMs)} |`,
    '',
    'The files are read once in every case: the task verifies the evidence against the sha256 of the bytes it will promote (fail closed). ' +
      'By reference, Azure ML copies the files server-side; to a workspace whose storage cannot read the source (here: Azurite does not take a bearer-authorized copy source), ' +
      'the copy streams GET → Put Block, re-hashing on the way, holding one 8 MiB block at a time.',
    '',
  ];
}
