/**
 * A text assembled from pieces of a file (the JSON strings of one notebook cell), with a map from every
 * offset of the text back to a byte offset of the file.
 *
 * The text is "bytes as latin1", like every text the scanner hands detectors: raw bytes are copied one
 * char per byte (so runs between escapes map linearly), and JSON escapes are decoded to the UTF-8 bytes
 * of the character they stand for (`\n` one char, `\u00e9` two). A secret written with `\/` or `\u002b`
 * inside a notebook is therefore seen as the characters it means.
 */

export class SegmentMap {
  /** Run k covers text offsets [textStart[k], textStart[k+1]). Linear runs map offset-by-offset; escape runs map to one raw span. */
  constructor(
    private readonly textStart: readonly number[],
    private readonly rawStart: readonly number[],
    private readonly rawEnd: readonly number[],
    private readonly linear: readonly boolean[],
  ) {}

  private run(offset: number): number {
    let lo = 0;
    let hi = this.textStart.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.textStart[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** File offset of the byte that produced text offset `offset`. */
  toRaw(offset: number): number {
    if (this.textStart.length === 0) return 0;
    const k = this.run(offset);
    return this.linear[k] ? Math.min(this.rawStart[k] + (offset - this.textStart[k]), this.rawEnd[k]) : this.rawStart[k];
  }

  /** File offset just after the bytes that produced text [.., end): for exclusive end offsets. */
  toRawEnd(end: number): number {
    if (end <= 0 || this.textStart.length === 0) return this.toRaw(0);
    const k = this.run(end - 1);
    return this.linear[k] ? this.rawStart[k] + (end - this.textStart[k]) : this.rawEnd[k];
  }
}

export class SegmentBuilder {
  private readonly parts: string[] = [];
  private length = 0;
  private readonly textStart: number[] = [];
  private readonly rawStart: number[] = [];
  private readonly rawEnd: number[] = [];
  private readonly linear: boolean[] = [];

  constructor(private readonly bytes: Buffer) {}

  get empty(): boolean {
    return this.length === 0;
  }

  private push(text: string, rawStart: number, rawEnd: number, linear: boolean): void {
    if (text.length === 0) return;
    this.parts.push(text);
    this.textStart.push(this.length);
    this.rawStart.push(rawStart);
    this.rawEnd.push(rawEnd);
    this.linear.push(linear);
    this.length += text.length;
  }

  /** Appends file bytes [start, end) verbatim. */
  appendRaw(start: number, end: number): void {
    this.push(this.bytes.toString('latin1', start, end), start, end, true);
  }

  /** Appends the decoded content of a JSON string whose escaped content is bytes [start, end). */
  appendJsonString(start: number, end: number): void {
    const b = this.bytes;
    let at = start;
    while (at < end) {
      const slash = b.indexOf(0x5c, at);
      if (slash < 0 || slash >= end) {
        this.appendRaw(at, end);
        return;
      }
      this.appendRaw(at, slash);
      const esc = decodeEscape(b, slash, end);
      if (esc) {
        this.push(esc.text, slash, esc.next, false);
        at = esc.next;
      } else {
        this.appendRaw(slash, slash + 1);
        at = slash + 1;
      }
    }
  }

  build(): { text: string; map: SegmentMap } {
    return { text: this.parts.join(''), map: new SegmentMap(this.textStart, this.rawStart, this.rawEnd, this.linear) };
  }
}

const SIMPLE: Record<number, string> = { 0x22: '"', 0x5c: '\\', 0x2f: '/', 0x62: '\b', 0x66: '\f', 0x6e: '\n', 0x72: '\r', 0x74: '\t' };

function hex4(b: Buffer, at: number, end: number): number {
  if (at + 4 > end) return -1;
  let v = 0;
  for (let k = at; k < at + 4; k++) {
    const c = b[k];
    const d = c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x61 && c <= 0x66 ? c - 0x57 : c >= 0x41 && c <= 0x46 ? c - 0x37 : -1;
    if (d < 0) return -1;
    v = v * 16 + d;
  }
  return v;
}

/** The escape at `slash` as UTF-8-bytes-as-latin1 text, and where it ends; undefined if malformed. */
export function decodeEscape(b: Buffer, slash: number, end: number): { text: string; next: number } | undefined {
  const c = b[slash + 1];
  if (slash + 1 >= end) return undefined;
  if (c !== 0x75) {
    const s = SIMPLE[c];
    return s === undefined ? undefined : { text: s, next: slash + 2 };
  }
  let cp = hex4(b, slash + 2, end);
  if (cp < 0) return undefined;
  let next = slash + 6;
  if (cp >= 0xd800 && cp <= 0xdbff && b[next] === 0x5c && b[next + 1] === 0x75) {
    const lo = hex4(b, next + 2, end);
    if (lo >= 0xdc00 && lo <= 0xdfff) {
      cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
      next += 6;
    }
  }
  if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd; // a lone surrogate
  return { text: Buffer.from(String.fromCodePoint(cp), 'utf8').toString('latin1'), next };
}
