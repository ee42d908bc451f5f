/**
 * Parses the Python literals of a .npy header ({'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), }):
 * strings, integers, True/False/None, tuples and lists (both as arrays), dicts. Bounded nesting; never throws.
 */

export type PyValue = string | number | boolean | null | PyValue[] | { [key: string]: PyValue };

const MAX_DEPTH = 32;

export function parsePyLiteral(text: string): { ok: true; value: PyValue } | { ok: false; error: string } {
  let i = 0;
  const ws = () => { while (i < text.length && /\s/.test(text[i])) i++; };
  const fail = (msg: string): never => { throw new SyntaxError(`${msg} at character ${i}`); };
  const value = (depth: number): PyValue => {
    if (depth > MAX_DEPTH) fail('nesting too deep');
    ws();
    const c = text[i];
    if (c === "'" || c === '"') return str();
    if (c === '(' || c === '[') return seq(c === '(' ? ')' : ']', depth);
    if (c === '{') return dict(depth);
    const m = /^(?:-?\d{1,30}L?|True|False|None)/.exec(text.slice(i, i + 32));
    if (!m) return fail('unexpected token');
    i += m[0].length;
    if (m[0] === 'True') return true;
    if (m[0] === 'False') return false;
    if (m[0] === 'None') return null;
    return Number(m[0].replace(/L$/, ''));
  };
  const str = (): string => {
    const q = text[i++];
    let out = '';
    while (i < text.length && text[i] !== q) {
      if (text[i] === '\\' && i + 1 < text.length) { out += text[i + 1]; i += 2; continue; }
      out += text[i++];
    }
    if (i >= text.length) fail('unterminated string');
    i++;
    return out;
  };
  const seq = (close: string, depth: number): PyValue[] => {
    i++;
    const out: PyValue[] = [];
    for (;;) {
      ws();
      if (text[i] === close) { i++; return out; }
      out.push(value(depth + 1));
      ws();
      if (text[i] === ',') { i++; continue; }
      if (text[i] === close) { i++; return out; }
      fail('expected , or closing bracket');
    }
  };
  const dict = (depth: number): { [key: string]: PyValue } => {
    i++;
    const out: { [key: string]: PyValue } = {};
    for (;;) {
      ws();
      if (text[i] === '}') { i++; return out; }
      const k = value(depth + 1);
      if (typeof k !== 'string') fail('dict key is not a string');
      ws();
      if (text[i] !== ':') fail('expected :');
      i++;
      out[k as string] = value(depth + 1);
      ws();
      if (text[i] === ',') { i++; continue; }
      if (text[i] === '}') { i++; return out; }
      fail('expected , or }');
    }
  };
  try {
    const v = value(0);
    ws();
    if (i < text.length) fail('trailing characters');
    return { ok: true, value: v };
  } catch (e) {
    return { ok: false, error: e instanceof SyntaxError ? e.message : 'unreadable literal' };
  }
}
