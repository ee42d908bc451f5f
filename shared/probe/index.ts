/** Live probes of online endpoint scoring URIs (EndpointHardeningCheck). */
export { probeEndpoints, PROBE_ORDER } from './run';
export { probeFindings, PROBE_PATH } from './findings';
export { PROBE_RULES, PRB_ANONYMOUS, PRB_PLAIN_HTTP, PRB_LEGACY_TLS, PRB_CERTIFICATE, PRB_LEAKS } from './rules';
export type { ProbeTarget, ProbeOptions, ProbeStatus, ProbeCheck, ProbeReport } from './types';
export { startProbeRunner, probeWorkerEntry, PROBE_WORKER_FILE, type ProbeRunner } from './inWorker';
