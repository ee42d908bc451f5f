/**
 * Runs detectors on one text: the prefilter decides which may match, each runs in a try, and what they
 * return is checked before it is trusted (offsets inside the text, a rule id the detector owns). Pure.
 */
import type { RuleMeta } from '../rules/types';
import { AnchorMatcher } from './anchors';
import type { Detector, SecretMatch } from './types';

export interface DetectorHit extends SecretMatch {
  detector: number;
}

export class DetectorSet {
  readonly matcher: AnchorMatcher;
  private readonly owned: Array<Set<string>>;
  /** Indexes of the detectors with a byte check (Detector.mayMatchBytes). */
  private readonly byteChecked: number[];
  private readonly rules = new Map<string, RuleMeta>();

  constructor(readonly detectors: readonly Detector[], extraRules: readonly RuleMeta[] = []) {
    this.matcher = new AnchorMatcher(detectors.map((d) => ({ anchors: d.anchors, caseInsensitive: d.caseInsensitiveAnchors })));
    this.owned = detectors.map((d) => new Set([d.meta.id, ...(d.variants ?? []).map((v) => v.id)]));
    this.byteChecked = detectors.flatMap((d, k) => (d.mayMatchBytes ? [k] : []));
    for (const d of detectors) for (const r of [d.meta, ...(d.variants ?? [])]) if (!this.rules.has(r.id)) this.rules.set(r.id, r);
    for (const r of extraRules) if (!this.rules.has(r.id)) this.rules.set(r.id, r);
  }

  /** Metadata of a rule id any configured plugin owns. */
  readonly meta = (id: string): RuleMeta | undefined => this.rules.get(id);

  get size(): number {
    return this.detectors.length;
  }

  /**
   * Clears the flags of detectors whose byte check rules out a match in `bytes[start, end)`; true when any flag is
   * left. A check that throws leaves its flag set: the detector itself will run and report.
   */
  vetoBytes(flags: Uint8Array, bytes: Buffer, start: number, end: number): boolean {
    for (const k of this.byteChecked) {
      if (!flags[k]) continue;
      try {
        if (!this.detectors[k].mayMatchBytes!(bytes, start, end)) flags[k] = 0;
      } catch {
        /* keep the flag */
      }
    }
    return flags.includes(1);
  }

  /**
   * Runs every detector flagged in `flags` (from this.matcher) on `text`. Problems (a detector that throws
   * or returns nonsense) become warnings; the other detectors still run.
   */
  run(text: string, path: string, flags: Uint8Array, warn: (message: string) => void): DetectorHit[] {
    const hits: DetectorHit[] = [];
    for (let k = 0; k < this.detectors.length; k++) {
      if (!flags[k]) continue;
      const d = this.detectors[k];
      let found: SecretMatch[];
      try {
        found = d.scan(text, { path });
      } catch (err) {
        warn(`${path}: detector ${d.meta.id} failed (${describeError(err)}); the other detectors still ran`);
        continue;
      }
      if (!Array.isArray(found)) continue;
      for (const m of found) {
        if (!(Number.isInteger(m.start) && Number.isInteger(m.end) && m.start >= 0 && m.end > m.start && m.end <= text.length)) {
          warn(`${path}: detector ${d.meta.id} returned a match with invalid offsets; ignored`);
          continue;
        }
        const ruleId = this.owned[k].has(m.ruleId) ? m.ruleId : d.meta.id;
        if (ruleId !== m.ruleId) warn(`${path}: detector ${d.meta.id} reported rule id ${String(m.ruleId)}, which it does not declare; reported as ${d.meta.id}`);
        hits.push({ ...m, ruleId, detector: k });
      }
    }
    return hits;
  }
}

/** An exception as "Name: first line", short; never the text being scanned. */
export function describeError(err: unknown): string {
  const e = err as Error;
  const first = String(e?.message ?? err).split('\n')[0].slice(0, 160);
  return e?.name ? `${e.name}: ${first}` : first;
}
