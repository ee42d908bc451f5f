/**
 * The probe contract: EndpointHardeningCheck hands in scoring URIs and gets one report per endpoint back.
 * Probes never send credentials or model inputs; they only look at how the endpoint answers a stranger.
 */
import type { Severity } from '../rules/types';

export interface ProbeTarget {
  /** ARM id of the online endpoint; findings hang off it. */
  endpointId: string;
  /** properties.scoringUri as ARM reports it. */
  scoringUri: string;
}

export interface ProbeOptions {
  /** Hard deadline for each probe's socket, connect to last byte (default 5000). */
  timeoutMs?: number;
  /** A certificate expiring within this many days fails AML-PRB-004 (default 30). */
  certExpiryDays?: number;
  /** Clock for certificate expiry arithmetic (default: now). Chain verification itself uses the real clock. */
  now?: Date;
  /** Endpoints probed at once; each endpoint opens up to four sockets side by side (default 64). */
  concurrency?: number;
  /** Aborting destroys every open socket; probeEndpoints then rejects with the signal's reason. */
  signal?: AbortSignal;
}

/**
 * pass / fail: the probe saw an answer and judged it. unreachable: it could not judge (no route, timeout,
 * throttled). not-applicable: the probe has no meaning for this URI (TLS probes on an http URI).
 */
export type ProbeStatus = 'pass' | 'fail' | 'unreachable' | 'not-applicable';

export interface ProbeCheck {
  ruleId: string;
  status: ProbeStatus;
  /** One sentence: what was sent, what came back. Values shown are capped and never secrets. */
  message: string;
  durationMs: number;
  /** A failure's severity when it differs from the rule's default (a 5xx is milder than a 200, say). */
  severity?: Severity;
  /** Machine-readable facts behind the message (HTTP status, negotiated protocol, certificate days left). */
  evidence?: Record<string, string | number | boolean>;
}

export interface ProbeReport {
  endpointId: string;
  scoringUri: string;
  checks: ProbeCheck[];
}

export const DEFAULT_TIMEOUT_MS = 5000;
export const DEFAULT_CERT_EXPIRY_DAYS = 30;
export const DEFAULT_CONCURRENCY = 64;
