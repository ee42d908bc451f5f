/**
 * The prefilter: which detectors have at least one of their anchors in a text, found in one pass.
 *
 * An Aho-Corasick automaton compiled to a dense DFA over byte classes (ASCII letters folded to one class,
 * bytes that occur in no anchor to class 0). Case-sensitive anchors are confirmed by a byte comparison when
 * the folded automaton hits, which is rare. States are numbered so that every accepting state comes last:
 * the hot loop is one table load and one comparison per byte. Measured ~500 MB/s on node_modules text,
 * against ~120 MB/s for one V8 RegExp alternation of the same anchors.
 *
 * Texts are "bytes as latin1": raw file bytes, or strings whose char codes are UTF-8 bytes (what the
 * scanner hands detectors). Anchors are turned into UTF-8 bytes, so a non-ASCII anchor matches too.
 */

export interface AnchorGroup {
  anchors: readonly string[];
  caseInsensitive?: boolean;
}

interface Pattern {
  bytes: Uint8Array;
  caseInsensitive: boolean;
  group: number;
}

const fold = (b: number): number => (b >= 65 && b <= 90 ? b + 32 : b);

export class AnchorMatcher {
  readonly groupCount: number;
  /** Groups without anchors: always "present". */
  private readonly always: number[] = [];
  private readonly classOf = new Uint8Array(256);
  private readonly classes: number;
  /** delta[state + class] = next state; states are premultiplied by `classes`. */
  private readonly delta: Int32Array;
  /** Premultiplied states at or above this one are accepting. */
  private readonly acceptFrom: number;
  /** Patterns ending in each accepting state, indexed by (state - acceptFrom) / classes. */
  private readonly outputs: Pattern[][];

  constructor(groups: readonly AnchorGroup[]) {
    this.groupCount = groups.length;
    const patterns: Pattern[] = [];
    groups.forEach((g, group) => {
      const anchors = g.anchors.filter((a) => a.length > 0);
      if (anchors.length === 0) this.always.push(group);
      for (const a of anchors) patterns.push({ bytes: Buffer.from(a, 'utf8'), caseInsensitive: !!g.caseInsensitive, group });
    });

    let classes = 1;
    for (const p of patterns) for (const b of p.bytes) if (!this.classOf[fold(b)]) this.classOf[fold(b)] = classes++;
    for (let b = 65; b <= 90; b++) this.classOf[b] = this.classOf[b + 32];
    this.classes = classes;

    // Trie, then failure links breadth-first, filling missing edges so the automaton becomes a DFA.
    const goto: Int32Array[] = [new Int32Array(classes).fill(-1)];
    const out: Pattern[][] = [[]];
    for (const p of patterns) {
      let s = 0;
      for (const b of p.bytes) {
        const c = this.classOf[fold(b)];
        if (goto[s][c] < 0) {
          goto[s][c] = goto.length;
          goto.push(new Int32Array(classes).fill(-1));
          out.push([]);
        }
        s = goto[s][c];
      }
      out[s].push(p);
    }
    const fail = new Int32Array(goto.length);
    const queue: number[] = [];
    for (let c = 0; c < classes; c++) {
      const t = goto[0][c];
      if (t < 0) goto[0][c] = 0;
      else queue.push(t);
    }
    for (let head = 0; head < queue.length; head++) {
      const r = queue[head];
      for (let c = 0; c < classes; c++) {
        const u = goto[r][c];
        if (u < 0) goto[r][c] = goto[fail[r]][c];
        else {
          fail[u] = goto[fail[r]][c];
          out[u] = out[u].concat(out[fail[u]]);
          queue.push(u);
        }
      }
    }

    // Renumber: non-accepting states first.
    const n = goto.length;
    const order = [...Array(n).keys()].sort((a, b) => Number(out[a].length > 0) - Number(out[b].length > 0) || a - b);
    const newId = new Int32Array(n);
    order.forEach((old, i) => (newId[old] = i));
    this.delta = new Int32Array(n * classes);
    for (let old = 0; old < n; old++) {
      for (let c = 0; c < classes; c++) this.delta[newId[old] * classes + c] = newId[goto[old][c]] * classes;
    }
    const firstAccepting = order.findIndex((s) => out[s].length > 0);
    this.acceptFrom = (firstAccepting < 0 ? n : firstAccepting) * classes;
    this.outputs = order.slice(firstAccepting < 0 ? n : firstAccepting).map((s) => out[s]);
    if (newId[0] !== 0) throw new Error('anchor automaton: start state must stay 0'); // the root never accepts
  }

  /** Flags per group (1 = an anchor occurs) for bytes[start, end). */
  scanBytes(bytes: Uint8Array, start = 0, end = bytes.length): Uint8Array {
    const found = new Uint8Array(this.groupCount);
    let missing = this.groupCount;
    for (const g of this.always) {
      found[g] = 1;
      missing--;
    }
    if (missing === 0) return found;
    const { classOf, delta, acceptFrom, classes } = this;
    let s = 0;
    for (let i = start; i < end; i++) {
      s = delta[s + classOf[bytes[i]]];
      if (s >= acceptFrom) {
        missing -= this.hitBytes(this.outputs[(s - acceptFrom) / classes], found, bytes, i, start);
        if (missing === 0) return found;
      }
    }
    return found;
  }

  /** Same over a string whose char codes are bytes (chars above 255 match no anchor byte). */
  scanString(text: string): Uint8Array {
    const found = new Uint8Array(this.groupCount);
    let missing = this.groupCount;
    for (const g of this.always) {
      found[g] = 1;
      missing--;
    }
    if (missing === 0) return found;
    const { classOf, delta, acceptFrom, classes } = this;
    let s = 0;
    for (let i = 0, n = text.length; i < n; i++) {
      const ch = text.charCodeAt(i);
      s = delta[s + (ch < 256 ? classOf[ch] : 0)];
      if (s >= acceptFrom) {
        missing -= this.hitString(this.outputs[(s - acceptFrom) / classes], found, text, i);
        if (missing === 0) return found;
      }
    }
    return found;
  }

  // Hits are handled out of line, with the text passed as an argument: a closure over `bytes` in the hot
  // loop would move it into a context object and cost the loop two thirds of its speed.

  /** Marks the groups of the patterns ending at `end`; case-sensitive ones need the exact bytes. Returns how many were new. */
  private hitBytes(patterns: Pattern[], found: Uint8Array, bytes: Uint8Array, end: number, floor: number): number {
    let added = 0;
    for (const p of patterns) {
      if (found[p.group]) continue;
      if (!p.caseInsensitive) {
        const first = end - p.bytes.length + 1;
        if (first < floor) continue;
        let same = true;
        for (let j = 0; j < p.bytes.length && same; j++) same = bytes[first + j] === p.bytes[j];
        if (!same) continue;
      }
      found[p.group] = 1;
      added++;
    }
    return added;
  }

  private hitString(patterns: Pattern[], found: Uint8Array, text: string, end: number): number {
    let added = 0;
    for (const p of patterns) {
      if (found[p.group]) continue;
      if (!p.caseInsensitive) {
        const first = end - p.bytes.length + 1;
        if (first < 0) continue;
        let same = true;
        for (let j = 0; j < p.bytes.length && same; j++) same = text.charCodeAt(first + j) === p.bytes[j];
        if (!same) continue;
      }
      found[p.group] = 1;
      added++;
    }
    return added;
  }
}
