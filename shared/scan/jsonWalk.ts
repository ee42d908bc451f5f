/**
 * A JSON tokenizer over raw bytes that reports where every string value sits in the file, with its path
 * (`cells`, 3, `outputs`, 0, `text`). Notebooks need byte positions to point findings at the right line of
 * the file on disk, which JSON.parse cannot give.
 *
 * Iterative, with an explicit stack: 100,000 nested arrays cost memory, not the call stack. Lenient where
 * leniency is harmless (number syntax, control characters in strings), strict about structure, since a
 * wrong path would attribute text to the wrong cell.
 */

export type JsonPath = ReadonlyArray<string | number>;

export interface JsonVisitor {
  /** A string value (keys are not reported). Content bytes are [start, end): without quotes, still escaped. */
  string?(path: JsonPath, start: number, end: number): void;
  /** An object or array closed; [start, end) includes its brackets. */
  container?(path: JsonPath, start: number, end: number): void;
}

export class JsonSyntaxError extends Error {
  constructor(readonly offset: number, problem: string) {
    super(`${problem} at byte ${offset}`);
    this.name = 'JsonSyntaxError';
  }
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** Index of the closing quote of a string whose content starts at `from`. */
export function stringEnd(bytes: Buffer, from: number): number {
  let at = from;
  for (;;) {
    const q = bytes.indexOf(QUOTE, at);
    if (q < 0) throw new JsonSyntaxError(bytes.length, 'unterminated string');
    let slashes = 0;
    for (let k = q - 1; k >= from && bytes[k] === BACKSLASH; k--) slashes++;
    if (slashes % 2 === 0) return q;
    at = q + 1;
  }
}

function isSpace(b: number): boolean {
  return b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
}

/** Characters a number or a literal (true, false, null) may contain; checked loosely. */
function isScalarByte(b: number): boolean {
  return (b >= 0x30 && b <= 0x39) || (b >= 0x61 && b <= 0x7a) || (b >= 0x41 && b <= 0x5a) || b === 0x2d || b === 0x2b || b === 0x2e;
}

interface Frame {
  array: boolean;
  start: number;
  count: number;
}

const enum Expect {
  Value,
  Key,
  After,
}

/** Walks the whole document; throws JsonSyntaxError with the byte offset of the first problem. */
export function walkJson(bytes: Buffer, visitor: JsonVisitor): void {
  const n = bytes.length;
  const path: Array<string | number> = [];
  const frames: Frame[] = [];
  let i = 0;
  if (n >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) i = 3;
  let expect = Expect.Value;
  let done = false;
  while (!done) {
    while (i < n && isSpace(bytes[i])) i++;
    if (expect === Expect.After && frames.length === 0) {
      if (i < n) throw new JsonSyntaxError(i, 'unexpected text after the document');
      done = true;
      break;
    }
    if (i >= n) throw new JsonSyntaxError(n, frames.length ? 'unexpected end (unclosed object or array)' : 'empty document');
    const c = bytes[i];
    if (expect === Expect.Value) {
      if (c === 0x7b || c === 0x5b) {
        const array = c === 0x5b;
        frames.push({ array, start: i, count: 0 });
        i++;
        while (i < n && isSpace(bytes[i])) i++;
        if (i < n && bytes[i] === (array ? 0x5d : 0x7d)) {
          const empty = frames.pop()!; // popped outside the optional call, which skips its arguments
          visitor.container?.(path, empty.start, i + 1);
          i++;
          expect = Expect.After;
        } else if (array) {
          path.push(0);
          expect = Expect.Value;
        } else expect = Expect.Key;
      } else if (c === QUOTE) {
        const end = stringEnd(bytes, i + 1);
        visitor.string?.(path, i + 1, end);
        i = end + 1;
        expect = Expect.After;
      } else if (isScalarByte(c)) {
        while (i < n && isScalarByte(bytes[i])) i++;
        expect = Expect.After;
      } else throw new JsonSyntaxError(i, `unexpected character ${describe(c)}`);
    } else if (expect === Expect.Key) {
      if (c !== QUOTE) throw new JsonSyntaxError(i, `expected a key, found ${describe(c)}`);
      const end = stringEnd(bytes, i + 1);
      const key = decodeKey(bytes, i + 1, end);
      i = end + 1;
      while (i < n && isSpace(bytes[i])) i++;
      if (bytes[i] !== 0x3a) throw new JsonSyntaxError(i, 'expected ":" after a key');
      i++;
      path.push(key);
      expect = Expect.Value;
    } else {
      const top = frames[frames.length - 1];
      if (c === 0x2c) {
        top.count++;
        path.pop();
        if (top.array) {
          path.push(top.count);
          expect = Expect.Value;
        } else expect = Expect.Key;
        i++;
      } else if (c === (top.array ? 0x5d : 0x7d)) {
        path.pop();
        frames.pop();
        visitor.container?.(path, top.start, i + 1);
        i++;
        expect = Expect.After;
      } else throw new JsonSyntaxError(i, `expected "," or "${top.array ? ']' : '}'}", found ${describe(c)}`);
    }
  }
}

function describe(c: number): string {
  return c >= 0x21 && c < 0x7f ? `"${String.fromCharCode(c)}"` : `byte 0x${c.toString(16).padStart(2, '0')}`;
}

/** Keys are short: decode through JSON.parse of the quoted slice, falling back to the raw text. */
function decodeKey(bytes: Buffer, start: number, end: number): string {
  const raw = bytes.toString('utf8', start, end);
  if (!raw.includes('\\')) return raw;
  try {
    return JSON.parse(`"${raw}"`) as string;
  } catch {
    return raw;
  }
}
