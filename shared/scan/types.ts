/**
 * The contract of content scanning (SecurityGate's repository, notebook and model-file scan).
 *
 * A detector or model check is data (RuleMeta: id, title, severity, rationale, remediation, references)
 * plus one pure function; the scanner core (walker, prefilter, notebook mapping, redaction, fingerprints)
 * turns their matches into platform Findings with a FileLocation.
 */
import type { RuleMeta, Severity } from '../rules/types';

/** A secret found in a text: offsets into the text the detector was given, of the secret value only. */
export interface SecretMatch {
  /** Start offset (UTF-16 index into the text) of the secret value itself, not of its context. */
  start: number;
  end: number;
  /** The detector's id, or a more precise sub-id it owns (e.g. the storage variant). Must exist in the catalog. */
  ruleId: string;
  /** Overrides the detector's default severity (a placeholder-looking value, an unverified look-alike). */
  severity?: Severity;
  /** 'verified': a checksum or structural proof; 'context': shape plus context words; 'heuristic': entropy. */
  confidence: 'verified' | 'context' | 'heuristic';
  /** One sentence naming what was found, never the value (e.g. "Azure Storage account key (checksum valid)"). */
  message: string;
}

export interface DetectorContext {
  /** Path relative to the scan root, forward slashes (helps e.g. lock-file or test-fixture exclusions). */
  path: string;
}

export interface Detector {
  meta: RuleMeta;
  /** Extra rule ids this detector may emit (sub-variants), each with its own metadata. */
  variants?: RuleMeta[];
  /**
   * Literal strings, at least 3 characters, at least one of which occurs in any text this detector can
   * match (a signature like `+ASt`, or a context word like `AccountKey`). The scanner runs the detector
   * only on texts containing an anchor. `caseInsensitive` anchors are matched ignoring ASCII case.
   */
  anchors: string[];
  caseInsensitiveAnchors?: boolean;
  /**
   * Pure and linear-time: every regular expression it uses is listed in `patterns` (checked by a ReDoS test).
   * `text` is a whole file (or one notebook cell text); offsets are into it.
   */
  scan(text: string, ctx: DetectorContext): SecretMatch[];
  /**
   * Optional, for a detector whose anchors are common words: false when `bytes[start, end)`, read one char a byte
   * as `scan` reads file bytes, cannot hold a match. The scanner then does not make the text for this detector.
   * It must never be false where `scan` would find something, and must cost far less than decoding the bytes.
   */
  mayMatchBytes?(bytes: Buffer, start: number, end: number): boolean;
  /** Every RegExp the detector uses, for the linear-time proof. */
  patterns: RegExp[];
}

/** A problem in a model file (or an unsafe construct in it). */
export interface ModelIssue {
  ruleId: string;
  severity?: Severity;
  /** Names the construct (e.g. "imports os.system") and where (archive member, opcode offset). */
  message: string;
  /** Byte offset in the file (or in the archive member named in the message), when meaningful. */
  byteOffset?: number;
  /** A stable key for the fingerprint (e.g. "os.system" or the member name), never secret content. */
  key: string;
}

export interface ModelAnalyzer {
  /** Rule metadata of every ruleId this analyzer emits. */
  rules: RuleMeta[];
  /** Lower-case file name endings it handles, e.g. ['.pkl', '.joblib']. */
  extensions: string[];
  /** Also handles files whose first bytes match (e.g. a zip that is a PyTorch checkpoint). Optional. */
  sniff?(head: Buffer): boolean;
  /**
   * Never executes or deserialises the content: reads bytes, walks opcodes/structures, reports. Must not
   * throw on malformed input: report a `malformed` issue instead (its rule in `rules`).
   * `readSibling` reads a file relative to this one inside the scan root (ONNX external data checks);
   * it returns undefined for paths outside the root.
   */
  analyze(bytes: Buffer, ctx: { path: string; readSibling?(relative: string): Buffer | undefined }): ModelIssue[];
}
