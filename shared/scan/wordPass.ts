/**
 * The one pass over a text that every detector shares: each occurrence of every registered word (the anchors
 * of all detectors, the keywords the keyword detectors look for), ignoring ASCII case, left to right, overlaps
 * included. The prefilter derives from it which detectors may match; the keyword detectors read the same hits,
 * so a text is walked once, not once for anchors and again for keywords.
 *
 * An Aho-Corasick automaton compiled to a DFA over character classes (ASCII letters folded, characters in no
 * word in class 0), accepting states numbered last: one table load and one comparison per character. Long
 * texts are walked as two halves in the same loop: a DFA step waits on the previous step's table load, so two
 * independent walks keep the CPU busy where one leaves it waiting (measured 1.5× on node_modules text).
 * Linear by construction, no regular expression.
 *
 * Texts are "bytes as latin1" (raw file bytes, or strings whose char codes are UTF-8 bytes) or decoded strings
 * (UTF-16 files): a word is registered as its UTF-8 bytes, so a non-ASCII word matches byte texts, and
 * characters above 255 match nothing.
 */

/** Occurrences in one text: `ends[k]` (exclusive offset) and `ids[k]` (word id), in order of `ends`. */
export interface WordHits {
  ends: number[];
  ids: number[];
}

/** Registered words, as byte strings (one char per UTF-8 byte), ASCII letters lower-cased. */
const words: string[] = [];
const wordIds = new Map<string, number>();

interface Automaton {
  /** Class of every UTF-16 code unit (bytes index it too): 0 for characters in no word, upper case folded. */
  classOf: Uint8Array;
  classes: number;
  /** delta[state + class] = next state; states are premultiplied by `classes`. */
  delta: Int32Array;
  /** Premultiplied states at or above this one are accepting. */
  acceptFrom: number;
  /** Word ids ending in each accepting state, indexed by (state - acceptFrom) / classes. */
  out: Int32Array[];
  /** Length of the longest word: a walk started this far back is in the right state. */
  longest: number;
}

let automaton: Automaton | undefined;

/** The automaton, built on first use; a new one walks a small sample first (see `prime`). */
function current(): Automaton {
  if (!automaton) {
    automaton = build();
    prime();
  }
  return automaton;
}

/**
 * Walks a sample with a word in both halves, as bytes and as a string, through every branch of the walks. The
 * first real text is often a big file: V8 then optimises a walk in the middle of its first loop, before the
 * branches that record a hit or follow the loop ever ran, and drops that code when they are reached (without
 * the sample: six recompiles per thread on the node_modules tree of the benchmark, with it: none).
 */
function prime(): void {
  if (words.length === 0) return;
  const word = words[0];
  const filler = ' '.repeat(SPLIT_FROM);
  const sample = `${word}${filler}${word}${filler} `;
  passString(sample);
  passString(word);
  const bytes = Buffer.from(sample, 'latin1');
  passBytes(bytes);
  passBytes(bytes, 0, word.length);
}

/** Texts shorter than this are walked in one stream (the split costs more than it saves). */
const SPLIT_FROM = 2048;

/** A word's byte-string form: UTF-8 bytes as chars, ASCII upper case folded. */
function wordKey(word: string): string {
  let ascii = true;
  for (let i = 0; i < word.length && ascii; i++) ascii = word.charCodeAt(i) < 128;
  return (ascii ? word : Buffer.from(word, 'utf8').toString('latin1')).replace(/[A-Z]+/g, (s) => s.toLowerCase());
}

/**
 * Registers words (any case; empty ones ignored) and returns their ids, in order. A word registered again gets
 * its first id. Registering a new word after a pass rebuilds the automaton and forgets the remembered hits.
 */
export function registerWords(list: readonly string[]): number[] {
  let added = false;
  const ids: number[] = [];
  for (const raw of list) {
    if (raw.length === 0) continue;
    const key = wordKey(raw);
    let id = wordIds.get(key);
    if (id === undefined) {
      id = words.length;
      words.push(key);
      wordIds.set(key, id);
      added = true;
    }
    ids.push(id);
  }
  if (added && automaton) {
    automaton = undefined;
    forgetHits();
  }
  return ids;
}

/** The registered word with this id (byte-string form, lower case). */
export function wordOf(id: number): string {
  return words[id];
}

export function wordCount(): number {
  return words.length;
}

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
  // Renumber: non-accepting states first, so the hot loop tests acceptance with one comparison. The root keeps
  // number 0 (it never accepts: no word is empty).
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
    longest: words.reduce((m, w) => Math.max(m, w.length), 0),
  };
}

/** Records the words of an accepting state (`ids`: the automaton's out list for it) as ending at `end`. */
function record(ids: Int32Array, end: number, hits: WordHits): void {
  for (let k = 0; k < ids.length; k++) {
    hits.ends.push(end);
    hits.ids.push(ids[k]);
  }
}

// The walks are split so that every comparison in a loop is reached early: V8 drops optimised code that meets a
// branch it has no type feedback for, and recompiling a walk costs more than the walk of a small file.

/** One stream over bytes[from, to) from `state`, recording at offsets relative to `base`; returns the state. */
function walkBytes(a: Automaton, bytes: Uint8Array, from: number, to: number, base: number, state: number, hits: WordHits): number {
  const { classOf, delta, acceptFrom, classes, out } = a;
  let s = state;
  for (let i = from; i < to; i++) {
    s = delta[s + classOf[bytes[i]]];
    if (s >= acceptFrom) record(out[(s - acceptFrom) / classes], i + 1 - base, hits);
  }
  return s;
}

/** The state after bytes[from, to) from the root, recording nothing. */
function settleBytes(a: Automaton, bytes: Uint8Array, from: number, to: number): number {
  const { classOf, delta } = a;
  let s = 0;
  for (let i = from; i < to; i++) s = delta[s + classOf[bytes[i]]];
  return s;
}

/**
 * Every occurrence in bytes[start, end), offsets relative to `start` (so they index the latin1 string of that
 * range). Long ranges as two halves of equal length walked side by side (an odd byte ends the first half); the
 * second half's state is found by walking the `longest` bytes before it without recording (a match ending
 * there belongs to the first half).
 */
export function passBytes(bytes: Uint8Array, start = 0, end = bytes.length): WordHits {
  const a = current();
  const first: WordHits = { ends: [], ids: [] };
  const n = end - start;
  if (n < SPLIT_FROM || a.longest === 0) {
    walkBytes(a, bytes, start, end, start, 0, first);
    return first;
  }
  const { classOf, delta, acceptFrom, classes, out } = a;
  const second: WordHits = { ends: [], ids: [] };
  const h = n >> 1;
  const mid = end - h;
  const odd = mid - start > h;
  let t = settleBytes(a, bytes, Math.max(start, mid - a.longest), mid);
  let s = 0;
  for (let i = start, j = mid; j < end; i++, j++) {
    s = delta[s + classOf[bytes[i]]];
    t = delta[t + classOf[bytes[j]]];
    if (s >= acceptFrom) record(out[(s - acceptFrom) / classes], i + 1 - start, first);
    if (t >= acceptFrom) record(out[(t - acceptFrom) / classes], j + 1 - start, second);
  }
  if (odd) walkBytes(a, bytes, mid - 1, mid, start, s, first);
  return join(first, second);
}

function walkString(a: Automaton, text: string, from: number, to: number, state: number, hits: WordHits): number {
  const { classOf, delta, acceptFrom, classes, out } = a;
  let s = state;
  for (let i = from; i < to; i++) {
    s = delta[s + classOf[text.charCodeAt(i)]];
    if (s >= acceptFrom) record(out[(s - acceptFrom) / classes], i + 1, hits);
  }
  return s;
}

function settleString(a: Automaton, text: string, from: number, to: number): number {
  const { classOf, delta } = a;
  let s = 0;
  for (let i = from; i < to; i++) s = delta[s + classOf[text.charCodeAt(i)]];
  return s;
}

/** Same over a string (char codes above 255 match nothing; the class table covers all of UTF-16). */
export function passString(text: string): WordHits {
  const a = current();
  const first: WordHits = { ends: [], ids: [] };
  const n = text.length;
  if (n < SPLIT_FROM || a.longest === 0) {
    walkString(a, text, 0, n, 0, first);
    return first;
  }
  const { classOf, delta, acceptFrom, classes, out } = a;
  const second: WordHits = { ends: [], ids: [] };
  const h = n >> 1;
  const mid = n - h;
  const odd = mid > h;
  let t = settleString(a, text, Math.max(0, mid - a.longest), mid);
  let s = 0;
  for (let i = 0, j = mid; j < n; i++, j++) {
    s = delta[s + classOf[text.charCodeAt(i)]];
    t = delta[t + classOf[text.charCodeAt(j)]];
    if (s >= acceptFrom) record(out[(s - acceptFrom) / classes], i + 1, first);
    if (t >= acceptFrom) record(out[(t - acceptFrom) / classes], j + 1, second);
  }
  if (odd) walkString(a, text, mid - 1, mid, s, first);
  return join(first, second);
}

function join(first: WordHits, second: WordHits): WordHits {
  if (second.ends.length === 0) return first;
  if (first.ends.length === 0) return second;
  return { ends: first.ends.concat(second.ends), ids: first.ids.concat(second.ids) };
}

/**
 * The hits of the last text, so every detector that reads keywords in it shares one pass. The scanner core
 * remembers the hits of its prefilter pass for the text it then hands the detectors.
 */
let lastText: string | undefined;
let lastHits: WordHits = { ends: [], ids: [] };

export function rememberHits(text: string, hits: WordHits): void {
  lastText = text;
  lastHits = hits;
}

export function hitsOf(text: string): WordHits {
  if (text !== lastText) rememberHits(text, passString(text));
  return lastHits;
}

/** Forgets the remembered hits (benchmarks measure a detector's own pass; the memory would hide it). */
export function forgetHits(): void {
  lastText = undefined;
  lastHits = { ends: [], ids: [] };
}
