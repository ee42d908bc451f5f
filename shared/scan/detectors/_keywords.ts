/**
 * Keyword sets for the keyword-anchored detectors (password, token, accountkey, client_secret,
 * AZURE_CLIENT_SECRET, Ocp-Apim-Subscription-Key ...), matched ignoring ASCII case. Every set reads the hits of
 * the scanner's shared word pass (../wordPass.ts): one walk per text serves the prefilter and all ten detectors
 * that look for keywords, where one regular expression or indexOf per word and per detector cost a pass each.
 */
import { forgetHits, hitsOf, registerWords, wordCount, wordOf, type WordHits } from '../wordPass';

export interface KeywordSet {
  /** Calls `fn(start, word)` for each occurrence of one of this set's words, left to right (overlaps included). */
  each(text: string, fn: (start: number, word: string) => void): void;
  /** True when the text holds one of this set's words. */
  any(text: string): boolean;
}

/** Which word ids occur in the hits last asked about: any() in the size of the set, not of the hits. */
let presentFor: WordHits | undefined;
let present = new Uint8Array(0);

function presence(hits: WordHits): Uint8Array {
  if (hits !== presentFor) {
    present = new Uint8Array(wordCount());
    for (const id of hits.ids) present[id] = 1;
    presentFor = hits;
  }
  return present;
}

/** Registers `list` (ASCII words, matched ignoring case) and returns its view of the shared hits. Call at module load. */
export function keywords(list: readonly string[]): KeywordSet {
  for (const raw of list) for (let i = 0; i < raw.length; i++) if (raw.charCodeAt(i) >= 128) throw new Error(`keywords are ASCII: ${raw}`);
  const ids = [...new Set(registerWords(list))];
  const mine = new Set(ids);
  return {
    each(text, fn) {
      const { ends, ids: hitIds } = hitsOf(text);
      for (let k = 0; k < ends.length; k++) {
        if (mine.has(hitIds[k])) {
          const w = wordOf(hitIds[k]);
          fn(ends[k] - w.length, w);
        }
      }
    },
    any(text) {
      const p = presence(hitsOf(text));
      for (const id of ids) if (p[id] === 1) return true;
      return false;
    },
  };
}

/** Forgets the cached hits (benchmarks measure a detector's own pass; the cache would hide it). */
export function clearKeywordCache(): void {
  forgetHits();
}
