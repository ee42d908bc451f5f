import * as assert from 'node:assert/strict';
import { JsonSyntaxError, walkJson, type JsonPath } from '../../../../shared/scan/jsonWalk';
import { SegmentBuilder } from '../../../../shared/scan/segment';

function strings(text: string): Array<{ path: JsonPath; raw: string }> {
  const b = Buffer.from(text);
  const out: Array<{ path: JsonPath; raw: string }> = [];
  walkJson(b, { string: (path, s, e) => out.push({ path: [...path], raw: b.toString('utf8', s, e) }) });
  return out;
}

describe('scan core: JSON string positions', () => {
  it('reports each string value with its path and raw span, keys excluded', () => {
    const got = strings('{"a": ["x", {"b\\"c": "y\\"z"}], "n": 1, "t": true, "e": [], "o": {}, "s": "end"}');
    assert.deepEqual(got, [
      { path: ['a', 0], raw: 'x' },
      { path: ['a', 1, 'b"c'], raw: 'y\\"z' },
      { path: ['s'], raw: 'end' },
    ]);
  });

  it('reports containers with their spans', () => {
    const text = '{"cells": [{"x": 1}, {}]}';
    const spans: string[] = [];
    walkJson(Buffer.from(text), { container: (p, s, e) => spans.push(`${p.join('.')}=${text.slice(s, e)}`) });
    assert.deepEqual(spans, ['cells.0={"x": 1}', 'cells.1={}', 'cells=[{"x": 1}, {}]', '={"cells": [{"x": 1}, {}]}']);
  });

  it('ends a string at a quote preceded by an even number of backslashes only', () => {
    assert.deepEqual(strings('["a\\\\", "b\\\\\\"c"]').map((s) => s.raw), ['a\\\\', 'b\\\\\\"c']);
  });

  for (const [name, text, where] of [
    ['truncated inside a string', '{"a": "abc', /unterminated string/],
    ['truncated inside an object', '{"a": [1, 2', /unexpected end/],
    ['trailing text', '{} x', /after the document/],
    ['a missing colon', '{"a" 1}', /expected ":"/],
    ['a missing comma', '[1 2]', /expected ","/],
    ['empty input', '   ', /empty document/],
  ] as const) {
    it(`rejects ${name} with a JsonSyntaxError naming the byte`, () => {
      assert.throws(() => walkJson(Buffer.from(text), {}), (e: unknown) => e instanceof JsonSyntaxError && where.test(e.message) && / at byte \d+/.test(e.message));
    });
  }

  it('walks 100,000 nested arrays without using the call stack', () => {
    const depth = 100_000;
    const text = '['.repeat(depth) + '"deep"' + ']'.repeat(depth);
    let seen: number | undefined;
    walkJson(Buffer.from(text), { string: (p) => (seen = p.length) });
    assert.equal(seen, depth);
  });
});

describe('scan core: decoded JSON strings mapped back to the file', () => {
  function decode(raw: string) {
    const file = Buffer.from(`["${raw}"]`);
    const b = new SegmentBuilder(file);
    b.appendJsonString(2, 2 + Buffer.byteLength(raw));
    return { file, ...b.build() };
  }

  it('decodes escapes to the characters they stand for (as UTF-8 bytes)', () => {
    const { text } = decode('a\\nb\\"c\\/d\\u002be\\u00e9\\ud83d\\ude00');
    assert.equal(Buffer.from(text, 'latin1').toString('utf8'), 'a\nb"c/d+eé😀');
  });

  it('maps decoded offsets to the file bytes that produced them', () => {
    const { file, text, map } = decode('ab\\ncd\\u002bef');
    const raw = (d: number) => file.toString('latin1', map.toRaw(d), map.toRawEnd(d + 1));
    assert.equal(raw(text.indexOf('c')), 'c');
    assert.equal(raw(text.indexOf('\n')), '\\n');
    assert.equal(raw(text.indexOf('+')), '\\u002b');
    assert.equal(raw(text.indexOf('f')), 'f');
    assert.equal(file.toString('latin1', map.toRaw(text.indexOf('c')), map.toRawEnd(text.length)), 'cd\\u002bef');
  });

  it('keeps a malformed escape as raw text instead of failing', () => {
    assert.equal(decode('a\\qb\\u12').text, 'a\\qb\\u12');
  });

  it('joins several strings into one text (a cell source split in lines)', () => {
    const file = Buffer.from('["line1\\n", "line2"]');
    const b = new SegmentBuilder(file);
    b.appendJsonString(2, 9);
    b.appendJsonString(13, 18);
    const { text, map } = b.build();
    assert.equal(text, 'line1\nline2');
    assert.equal(file.toString('latin1', map.toRaw(6), map.toRawEnd(11)), 'line2');
  });
});
