/**
 * Collects the issues of one analysed file: one issue per (rule, key), a cap on how many, and the work budget
 * that keeps a hostile file (a zip bomb, a billion opcodes) from exhausting the agent.
 */
import type { Severity } from '../../rules/types';
import type { ModelIssue } from '../types';
import { SCAN_LIMIT } from './_rules';

/** Caps per analysed file. Generous for real models (a 7B checkpoint's data.pkl is a few MB), small for bombs. */
export const LIMITS = {
  /** Bytes inflated from all archive members of one file together. */
  maxInflatedTotal: 512 * 1024 * 1024,
  /** Bytes inflated from one member. */
  maxInflatedMember: 256 * 1024 * 1024,
  /** Central-directory entries looked at. */
  maxArchiveEntries: 20_000,
  /** Pickle opcodes executed in the walker, all pickles of the file together. */
  maxOpcodes: 50_000_000,
  /** Separate pickle streams read from one file (legacy torch files hold 5; joblib one per object array). */
  maxPickles: 4096,
  /** Nesting of a pickle inside a pickle (torch.storage._load_from_bytes) or of an archive in an archive. */
  maxDepth: 4,
  /** Issues kept per file; the rest are counted in one limit issue. */
  maxIssues: 200,
  /** Bytes of JSON parsed from one Keras config or safetensors header. */
  maxJson: 64 * 1024 * 1024,
  /** Protobuf messages visited in one ONNX file. */
  maxProtoMessages: 20_000_000,
};

/** Work left for the rest of the file; shared by nested analyses so nesting cannot multiply the caps. */
export interface Budget {
  inflated: number;
  opcodes: number;
  pickles: number;
  protoMessages: number;
}

export function newBudget(): Budget {
  return { inflated: LIMITS.maxInflatedTotal, opcodes: LIMITS.maxOpcodes, pickles: LIMITS.maxPickles, protoMessages: LIMITS.maxProtoMessages };
}

export class IssueSink {
  private readonly seen = new Set<string>();
  private readonly list: ModelIssue[] = [];
  private dropped = 0;
  readonly budget: Budget = newBudget();

  add(issue: ModelIssue): void {
    const id = `${issue.ruleId}\u0000${issue.key}`;
    if (this.seen.has(id)) return;
    this.seen.add(id);
    if (this.list.length >= LIMITS.maxIssues) { this.dropped++; return; }
    this.list.push(issue);
  }

  /** A part of the file that was not analysed; `severity` medium when what was skipped may run code. */
  limit(what: string, key: string, severity: Severity = 'low', byteOffset?: number): void {
    this.add({ ruleId: SCAN_LIMIT.id, severity, message: `Not analysed: ${what}.`, key: `limit:${key}`, ...(byteOffset !== undefined ? { byteOffset } : {}) });
  }

  issues(): ModelIssue[] {
    const out = this.list.slice();
    if (this.dropped > 0) {
      out.push({ ruleId: SCAN_LIMIT.id, message: `Not reported: ${this.dropped} further issue(s) beyond the cap of ${LIMITS.maxIssues} per file.`, key: 'limit:issues' });
    }
    return out;
  }
}

/** " at byte 12 of member 'a/data.pkl'" / " at byte 12": where a construct sits, for messages. */
export function where(offset: number | undefined, member: string | undefined): string {
  const at = offset === undefined ? '' : ` at byte ${offset}`;
  return member ? `${at} of ${member}` : at;
}

/** Quotes an archive member or file-controlled string for a message: bounded, printable ASCII only. */
export function quote(s: string, max = 120): string {
  const clean = s.replace(/[^\x20-\x7e]/g, '?');
  return `'${clean.length > max ? clean.slice(0, max) + '…' : clean}'`;
}

/**
 * Runs one analysis so that nothing escapes: an unforeseen exception (a bug, a pathological input) becomes a
 * malformed issue of the format's rule instead of a crash of the scan.
 */
export function safely(sink: IssueSink, malformedRuleId: string, run: () => void): ModelIssue[] {
  try {
    run();
  } catch (err) {
    const what = err instanceof RangeError ? 'a read past the end of the data' : 'an unexpected structure';
    sink.add({ ruleId: malformedRuleId, message: `Analysis stopped on ${what}; the file is malformed or unsupported.`, key: 'analysis-error' });
  }
  return sink.issues();
}
