/**
 * The prefilter: which detectors have at least one of their anchors in a text.
 *
 * The anchors are registered with the shared word pass (./wordPass.ts), which finds every registered word in
 * one case-folded walk; the groups follow from its hits. A case-sensitive anchor is confirmed by comparing the
 * bytes where the folded word was found. The caller keeps the hits for the detectors (`rememberHits`), so the
 * keyword detectors do not walk the text again.
 *
 * Texts are "bytes as latin1": raw file bytes, or strings whose char codes are UTF-8 bytes (what the scanner
 * hands detectors). Anchors are registered as UTF-8 bytes, so a non-ASCII anchor matches too.
 */
import { passBytes, passString, registerWords, type WordHits } from './wordPass';

export interface AnchorGroup {
  anchors: readonly string[];
  caseInsensitive?: boolean;
}

/** One anchor behind a word: its group, and for a case-sensitive anchor the exact bytes to confirm. */
interface Owner {
  group: number;
  exact?: Uint8Array;
}

export interface AnchorMatch {
  /** 1 where the group's anchor occurs (groups without anchors: always). */
  flags: Uint8Array;
  /** Every registered word's occurrences in the text (for rememberHits). */
  hits: WordHits;
}

export class AnchorMatcher {
  readonly groupCount: number;
  /** Groups without anchors: always "present". */
  private readonly always: number[] = [];
  /** Owners by word id (sparse: other modules' words have none). */
  private readonly owners = new Map<number, Owner[]>();

  constructor(groups: readonly AnchorGroup[]) {
    this.groupCount = groups.length;
    groups.forEach((g, group) => {
      const anchors = g.anchors.filter((a) => a.length > 0);
      if (anchors.length === 0) this.always.push(group);
      const ids = registerWords(anchors);
      anchors.forEach((a, k) => {
        const list = this.owners.get(ids[k]) ?? [];
        list.push(g.caseInsensitive ? { group } : { group, exact: Buffer.from(a, 'utf8') });
        this.owners.set(ids[k], list);
      });
    });
  }

  /** Groups and word hits for bytes[start, end); hit offsets are relative to `start`. */
  matchBytes(bytes: Uint8Array, start = 0, end = bytes.length): AnchorMatch {
    const hits = passBytes(bytes, start, end);
    return { flags: this.flagsOf(hits, (first, exact) => sameBytes(bytes, start + first, exact, start)), hits };
  }

  /** Same over a string whose char codes are bytes (chars above 255 match no anchor byte). */
  matchString(text: string): AnchorMatch {
    const hits = passString(text);
    return { flags: this.flagsOf(hits, (first, exact) => sameChars(text, first, exact)), hits };
  }

  /** The groups behind the hit words; `same` confirms a case-sensitive anchor starting at offset `first`. */
  private flagsOf(hits: WordHits, same: (first: number, exact: Uint8Array) => boolean): Uint8Array {
    const flags = new Uint8Array(this.groupCount);
    for (const g of this.always) flags[g] = 1;
    const { ends, ids } = hits;
    for (let k = 0; k < ends.length; k++) {
      const owners = this.owners.get(ids[k]);
      if (owners) for (const o of owners) if (!flags[o.group] && (!o.exact || same(ends[k] - o.exact.length, o.exact))) flags[o.group] = 1;
    }
    return flags;
  }
}

function sameBytes(bytes: Uint8Array, first: number, exact: Uint8Array, floor: number): boolean {
  if (first < floor) return false;
  for (let j = 0; j < exact.length; j++) if (bytes[first + j] !== exact[j]) return false;
  return true;
}

function sameChars(text: string, first: number, exact: Uint8Array): boolean {
  if (first < 0) return false;
  for (let j = 0; j < exact.length; j++) if (text.charCodeAt(first + j) !== exact[j]) return false;
  return true;
}
