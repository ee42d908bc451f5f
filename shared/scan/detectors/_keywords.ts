/**
 * One pass over a text for every keyword of every keyword-anchored detector (password, token, accountkey,
 * client_secret, AZURE_CLIENT_SECRET, Ocp-Apim-Subscription-Key ...), ignoring ASCII case.
 *
 * An Aho-Corasick automaton over all registered words, compiled to a DFA over character classes (letters folded,
 * characters in no word mapped to class 0) with accepting states numbered last: one table load and one
 * comparison per character, whatever the number of words, where one regular expression or indexOf per word and
 * per detector cost a pass each. The hits of the last text are cached, so the ten detectors that
 * look for keywords in the same file share the pass. Linear by construction, with no regular expression.
 */

export interface KeywordSet {
  /** Calls `fn(start, word)` for each occurrence of one of this set's words, left to right (overlaps included). */
  each(text: string, fn: (start: number, word: string) => void): void;
  /** True when the text holds one of this set's words. */
  any(text: string): boolean;
}

const words: string[] = [];
const wordIds = new Map<string, number>();

interface Automaton {
  /** Character class of every UTF-16 code unit: 0 for characters in no word, upper case folded to lower. */
  classOf: Uint8Array;
  classes: number;
  /** delta[state + class] = next state; states are premultiplied by `classes`. */
  delta: Int32Array;
  /** Premultiplied states at or above this one are accepting (states are renumbered so they come last). */
  acceptFrom: number;
  /** Word ids ending in each accepting state, indexed by (state - acceptFrom) / classes. */
  out: Int32Array[];
}

let automaton: Automaton | undefined;

function build(): Automaton {
  const classOf = new Uint8Array(65536);
  let classes = 1;
  for (const w of words) for (let i = 0; i < w.length; i++) if (!classOf[w.charCodeAt(i)]) classOf[w.charCodeAt(i)] = classes++;
  for (let c = 65; c <= 90; c++) classOf[c] = classOf[c + 32];

  const goto: Int32Array[] = [new Int32Array(classes).fill(-1)];
  const out: number[][] = [[]];
  words.forEach((w, id) => {
    let s = 0;
    for (let i = 0; i < w.length; i++) {
      const c = classOf[w.charCodeAt(i)];
      if (goto[s][c] === -1) {
        goto[s][c] = goto.length;
        goto.push(new Int32Array(classes).fill(-1));
        out.push([]);
      }
      s = goto[s][c];
    }
    out[s].push(id);
  });
  // Failure links breadth-first; missing edges filled so the automaton is a DFA.
  const n = goto.length;
  const fail = new Int32Array(n);
  const queue: number[] = [];
  for (let c = 0; c < classes; c++) {
    const t = goto[0][c];
    if (t === -1) goto[0][c] = 0;
    else queue.push(t);
  }
  for (let q = 0; q < queue.length; q++) {
    const r = queue[q];
    out[r] = out[r].concat(out[fail[r]]);
    for (let c = 0; c < classes; c++) {
      const u = goto[r][c];
      if (u === -1) goto[r][c] = goto[fail[r]][c];
      else {
        fail[u] = goto[fail[r]][c];
        queue.push(u);
      }
    }
  }
  // Renumber: non-accepting states first, so the hot loop tests acceptance with one comparison.
  const order: number[] = [];
  for (let st = 0; st < n; st++) if (out[st].length === 0) order.push(st);
  const firstAccepting = order.length;
  for (let st = 0; st < n; st++) if (out[st].length > 0) order.push(st);
  const index = new Int32Array(n);
  order.forEach((st, k) => (index[st] = k));
  const delta = new Int32Array(n * classes);
  for (let k = 0; k < n; k++) for (let c = 0; c < classes; c++) delta[k * classes + c] = index[goto[order[k]][c]] * classes;
  return {
    classOf,
    classes,
    delta,
    acceptFrom: firstAccepting * classes,
    out: order.slice(firstAccepting).map((st) => Int32Array.from(out[st])),
  };
}

/** Hits of the last scanned text: end offsets (exclusive) and word ids, parallel arrays. */
let lastText: string | undefined;
let lastEnds: number[] = [];
let lastIds: number[] = [];
/** Which word ids occur in the last text: answers any() in the size of the set, not of the hits. */
let lastPresent = new Uint8Array(0);

function hits(text: string): void {
  if (text === lastText) return;
  automaton ??= build();
  const { classOf, classes, delta, acceptFrom, out } = automaton;
  const ends: number[] = [];
  const ids: number[] = [];
  // The root keeps number 0 (it is never accepting: no word is empty).
  let s = 0;
  for (let i = 0; i < text.length; i++) {
    s = delta[s + classOf[text.charCodeAt(i)]];
    if (s >= acceptFrom) {
      for (const id of out[(s - acceptFrom) / classes]) {
        ends.push(i + 1);
        ids.push(id);
      }
    }
  }
  const present = new Uint8Array(words.length);
  for (const id of ids) present[id] = 1;
  lastText = text;
  lastEnds = ends;
  lastIds = ids;
  lastPresent = present;
}

/**
 * Registers `list` (matched ignoring ASCII case) and returns its view of the shared hits. Call at module load:
 * the automaton is built on first use from every word registered by then (a later registration rebuilds it).
 */
export function keywords(list: readonly string[]): KeywordSet {
  // A set registered after a scan (a module imported late) invalidates the automaton and the cached hits.
  let added = false;
  const mine = new Set<number>();
  const mineList: number[] = [];
  for (const raw of list) {
    const w = raw.toLowerCase();
    for (let i = 0; i < w.length; i++) if (w.charCodeAt(i) >= 128) throw new Error(`keywords are ASCII: ${raw}`);
    let id = wordIds.get(w);
    if (id === undefined) {
      id = words.length;
      words.push(w);
      wordIds.set(w, id);
      added = true;
    }
    if (!mine.has(id)) mineList.push(id);
    mine.add(id);
  }
  if (added && automaton) {
    automaton = undefined;
    clearKeywordCache();
  }
  return {
    each(text, fn) {
      hits(text);
      const ends = lastEnds;
      const ids = lastIds;
      for (let k = 0; k < ends.length; k++) {
        if (mine.has(ids[k])) {
          const w = words[ids[k]];
          fn(ends[k] - w.length, w);
        }
      }
    },
    any(text) {
      hits(text);
      for (const id of mineList) if (lastPresent[id] === 1) return true;
      return false;
    },
  };
}

/** Forgets the cached hits (benchmarks measure a detector's own pass; the cache would hide it). */
export function clearKeywordCache(): void {
  lastText = undefined;
  lastEnds = [];
  lastIds = [];
  lastPresent = new Uint8Array(0);
}
