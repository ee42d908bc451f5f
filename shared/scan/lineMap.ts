/**
 * Byte offsets to 1-based line and column, as SARIF wants them: lines end at LF, CRLF or a lone CR;
 * columns count UTF-16 code units (SARIF's default `columnKind`), as an editor shows them.
 *
 * The scanner matches on raw bytes, so invalid UTF-8 never shifts offsets; only the column needs the
 * encoding, and is counted here the way a UTF-8 decoder would: one unit per character, two for
 * characters outside the BMP, one (a U+FFFD) per byte that starts no valid sequence. A leading UTF-8 BOM
 * takes no column. Streaming: feed contiguous chunks, so a 100 MB file never has to be in memory whole.
 */

export interface Position {
  line: number;
  column: number;
}

export class ByteLineMapper {
  private readonly order: number[];
  private readonly result: Position[];
  private next = 0;
  private line = 1;
  private units = 0;
  private prevCR = false;
  /** Continuation bytes still expected by the current multi-byte sequence. */
  private pending = 0;
  private fed = 0;

  /** `offsets` in any order; duplicates allowed. */
  constructor(private readonly offsets: readonly number[]) {
    this.order = [...offsets.keys()].sort((a, b) => offsets[a] - offsets[b]);
    this.result = new Array(offsets.length);
  }

  get done(): boolean {
    return this.next >= this.order.length;
  }

  /** Feeds the next chunk; `bytes[0]` sits at absolute offset `base`, which must equal the bytes fed so far. */
  push(bytes: Uint8Array, base: number, length = bytes.length): void {
    if (base !== this.fed) throw new Error(`ByteLineMapper: chunk at ${base}, expected ${this.fed}`);
    this.fed += length;
    let i = 0;
    if (base === 0 && length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
      this.record(0, 3);
      i = 3;
    }
    const { offsets, order } = this;
    // Without CR in the chunk, whole lines before the next offset are skipped with a native LF search; only the
    // line holding an offset is walked byte by byte (columns need the UTF-8 decoding). Secret-dense files have
    // findings on a few lines of many: this is most of the mapping's time saved.
    const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const cr = buf.indexOf(0x0d, i);
    const noCR = cr < 0 || cr >= length;
    let skippedFor = -1;
    for (; i < length && this.next < order.length; i++) {
      if (noCR && !this.prevCR && skippedFor !== this.next) {
        skippedFor = this.next;
        const target = Math.min(offsets[order[this.next]] - base, length);
        let lf = buf.indexOf(0x0a, i);
        let lastLf = -1;
        while (lf >= 0 && lf < target) {
          this.line++;
          lastLf = lf;
          lf = buf.indexOf(0x0a, lf + 1);
        }
        if (lastLf >= 0) {
          this.units = 0;
          this.pending = 0;
          i = lastLf + 1;
          if (i >= length) break;
        }
      }
      const at = base + i;
      while (this.next < order.length && offsets[order[this.next]] === at) {
        this.result[order[this.next++]] = { line: this.line, column: this.units + 1 };
      }
      const b = bytes[i];
      if (b === 0x0a) {
        if (!this.prevCR) this.newLine();
        this.prevCR = false;
      } else if (b === 0x0d) {
        this.newLine();
        this.prevCR = true;
      } else {
        this.prevCR = false;
        if (b < 0x80) {
          this.units++;
          this.pending = 0;
        } else if (b < 0xc0) {
          if (this.pending > 0) this.pending--;
          else this.units++;
        } else if (b < 0xe0) {
          this.units++;
          this.pending = 1;
        } else if (b < 0xf0) {
          this.units++;
          this.pending = 2;
        } else if (b < 0xf5) {
          this.units += 2;
          this.pending = 3;
        } else {
          this.units++;
          this.pending = 0;
        }
      }
    }
  }

  /** Positions in the order the offsets were given. Offsets at or past the end get the end position. */
  finish(): Position[] {
    while (this.next < this.order.length) this.result[this.order[this.next++]] = { line: this.line, column: this.units + 1 };
    return this.result;
  }

  private newLine(): void {
    this.line++;
    this.units = 0;
    this.pending = 0;
  }

  /** Offsets inside the BOM map to column 1. */
  private record(from: number, to: number): void {
    while (this.next < this.order.length && this.offsets[this.order[this.next]] < to && this.offsets[this.order[this.next]] >= from) {
      this.result[this.order[this.next++]] = { line: 1, column: 1 };
    }
  }
}

/** One-shot form for a buffer held whole. */
export function mapByteOffsets(bytes: Uint8Array, offsets: readonly number[]): Position[] {
  const m = new ByteLineMapper(offsets);
  m.push(bytes, 0);
  return m.finish();
}

/** The same for a decoded JS string (UTF-16 files): offsets and columns are both UTF-16 units. */
export function mapStringOffsets(text: string, offsets: readonly number[]): Position[] {
  const order = [...offsets.keys()].sort((a, b) => offsets[a] - offsets[b]);
  const out: Position[] = new Array(offsets.length);
  let next = 0;
  let line = 1;
  let lineStart = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (let i = 0; i < text.length && next < order.length; i++) {
    while (next < order.length && offsets[order[next]] === i) out[order[next++]] = { line, column: Math.max(1, i - lineStart + 1) };
    const c = text.charCodeAt(i);
    if (c === 0x0a || (c === 0x0d && text.charCodeAt(i + 1) !== 0x0a)) {
      line++;
      lineStart = i + 1;
    }
  }
  while (next < order.length) out[order[next++]] = { line, column: Math.max(1, text.length - lineStart + 1) };
  return out;
}
