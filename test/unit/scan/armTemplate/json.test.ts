import * as assert from 'node:assert/strict';
import { JsonSyntaxError, MAX_DEPTH, parseJson, prop, toPlain, type JNode } from '../../../../shared/scan/armTemplate/json';

function syntaxError(text: string): JsonSyntaxError {
  try {
    parseJson(text);
  } catch (e) {
    assert.ok(e instanceof JsonSyntaxError, String(e));
    return e;
  }
  assert.fail(`parsed: ${text.slice(0, 40)}`);
}

describe('armTemplate json parser', () => {
  it('gives the same value as JSON.parse for plain JSON', () => {
    const samples = [
      '{"a":[1,-2.5e3,true,false,null,"x\\u0041\\n\\"\\\\\\/"],"b":{"c":{}},"d":[]}',
      '  [ 0 , 1e2 , "é漢" ]  ',
      '"just a string"',
      '{"a":1,"a":2}',
    ];
    for (const s of samples) assert.deepEqual(toPlain(parseJson(s).root), JSON.parse(s), s);
  });

  it('records 1-based line and column of keys and values, across LF, CRLF and lone CR', () => {
    const text = '{\r\n  "a": 1,\n\t"b": {\r  "c": "x"\n  }\n}';
    const doc = parseJson(text);
    const at = (n: number) => doc.positionAt(n);
    assert.deepEqual(at(prop(doc.root, 'a')!.keyStart), { line: 2, column: 3 });
    const b = prop(doc.root, 'b')!;
    assert.deepEqual(at(b.keyStart), { line: 3, column: 2 });
    const c = prop(b.value, 'c')!;
    assert.deepEqual(at(c.keyStart), { line: 4, column: 3 });
    assert.deepEqual(at(c.value.start), { line: 4, column: 8 });
    assert.deepEqual(at(b.value.end), { line: 5, column: 4 });
    assert.deepEqual(at(0), { line: 1, column: 1 });
  });

  it('counts columns in UTF-16 code units after astral characters', () => {
    const doc = parseJson('{"😀": 1, "k": 2}');
    assert.deepEqual(doc.positionAt(prop(doc.root, 'k')!.keyStart), { line: 1, column: 11 });
  });

  it('skips a byte-order mark and // and /* */ comments, keeping line numbers right', () => {
    const text = '\ufeff// leading\n{ /* one\n two */ "a": 1, // trailing\n "b": 2 }';
    const doc = parseJson(text);
    assert.deepEqual(toPlain(doc.root), { a: 1, b: 2 });
    assert.deepEqual(doc.positionAt(prop(doc.root, 'a')!.keyStart), { line: 3, column: 9 });
    assert.deepEqual(doc.positionAt(prop(doc.root, 'b')!.keyStart), { line: 4, column: 2 });
  });

  it('reports where malformed input breaks', () => {
    assert.deepEqual(syntaxError('{\n  "a": 1,\n  "b" 2\n}').pos, { line: 3, column: 7 });
    assert.match(syntaxError('{"a": [1, 2}').message, /expected "," or "\]"/);
    assert.match(syntaxError('{"a": "unterminated').message, /unterminated string/);
    assert.match(syntaxError('{"a": 1,}').message, /property name/);
    assert.match(syntaxError('{"a": 01}').message, /expected "," or "}"/);
    assert.match(syntaxError('{"a": "bad \\x escape"}').message, /invalid escape/);
    assert.match(syntaxError('{"a": "raw\ttab"}').message, /control character/);
    assert.match(syntaxError('{} {}').message, /after the JSON value/);
    assert.match(syntaxError('/* never closed').message, /unterminated comment/);
    assert.match(syntaxError('').message, /end of input/);
  });

  it('refuses nesting deeper than MAX_DEPTH instead of overflowing the stack', () => {
    const ok = '['.repeat(MAX_DEPTH) + ']'.repeat(MAX_DEPTH);
    assert.doesNotThrow(() => parseJson(ok));
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    assert.match(syntaxError(deep).message, /nested deeper than/);
  });

  it('keeps __proto__ as an own property, as JSON.parse does', () => {
    const v = toPlain(parseJson('{"__proto__": {"polluted": true}}').root) as Record<string, unknown>;
    assert.ok(Object.prototype.hasOwnProperty.call(v, '__proto__'));
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal((v as { polluted?: unknown }).polluted, undefined);
  });

  it('looks property names up exactly first, then ignoring case', () => {
    const root: JNode = parseJson('{"Properties": 1, "properties": 2, "Other": 3}').root;
    assert.equal((prop(root, 'properties')!.value as { value: number }).value, 2);
    assert.equal((prop(root, 'other')!.value as { value: number }).value, 3);
    assert.equal(prop(root, 'missing'), undefined);
  });

  it('parses a 10 MB single-line document in linear time', function () {
    // A generous bound: a quadratic step would take hours on 10 MB, so load on a shared agent cannot fake a pass.
    this.timeout(60_000);
    const item = '{"k":"' + 'x'.repeat(90) + '","n":[1,2,3]},';
    const text = '[' + item.repeat(Math.floor(10_000_000 / item.length)) + '0]';
    const t = Date.now();
    const doc = parseJson(text);
    assert.equal(doc.root.kind, 'array');
    assert.ok(Date.now() - t < 15_000, `took ${Date.now() - t} ms`);
  });
});
