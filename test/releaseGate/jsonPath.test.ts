/**
 * JSONPath as Json.NET selects it, which the criterion's case-sensitive status match depends on: filters test
 * children (an object's properties, never the object), the recursive-descent filter tests the start token
 * too, `==` is ordinal and typed.
 */
import * as assert from 'node:assert/strict';
import { JsonPathError, selectTokens } from './jsonPath/select';
import { JsonProperty } from './expression/values';

const doc = {
  store: {
    book: [
      { category: 'reference', author: 'Nigel Rees', title: 'Sayings of the Century', price: 8.95 },
      { category: 'fiction', author: 'Evelyn Waugh', title: 'Sword of Honour', price: 12.99 },
      { category: 'fiction', author: 'Herman Melville', title: 'Moby Dick', isbn: '0-553-21311-3', price: 8.99 },
      { category: 'fiction', author: 'J. R. R. Tolkien', title: 'The Lord of the Rings', isbn: '0-395-19395-8', price: 22.99 },
    ],
    bicycle: { color: 'red', price: 19.95 },
  },
  limit: 10,
};

const select = (path: string, d: unknown = doc) => selectTokens(d, path);

describe('JSONPath (Json.NET semantics)', () => {
  it('selects by name, with or without $, dotted or bracketed', () => {
    assert.deepEqual(select('$.store.bicycle.color'), ['red']);
    assert.deepEqual(select("store['bicycle']['color']"), ['red']);
    assert.deepEqual(select('$'), [doc]);
    assert.deepEqual(select("$['tag.with.dots-and-dashes']", { 'tag.with.dots-and-dashes': 1 }), [1]);
  });

  it('wildcards, indexes, unions and slices', () => {
    assert.equal(select('$.store.book[*].author').length, 4);
    assert.deepEqual(select('$.store.book[1].price'), [12.99]);
    assert.deepEqual(select('$.store.book[0,2].price'), [8.95, 8.99]);
    assert.deepEqual(select('$.store.book[1:3].price'), [12.99, 8.99]);
    assert.deepEqual(select('$.store.book[-2:].price'), [8.99, 22.99]);
    assert.deepEqual(select('$.store.book[::-1].price'), [22.99, 8.99, 12.99, 8.95]);
    assert.deepEqual(select('$.store.book[9]'), []);
    assert.throws(() => select('$.store.book[-1]'), JsonPathError);
    assert.deepEqual(select("$.store.bicycle['color','price']"), ['red', 19.95]);
    assert.deepEqual(select('$.store.bicycle.*'), ['red', 19.95]);
  });

  it('recursive descent by name and with *', () => {
    assert.deepEqual(select('$..price'), [8.95, 12.99, 8.99, 22.99, 19.95]);
    assert.equal(select('$..author').length, 4);
    assert.equal(select('$.store.bicycle..*')[0], doc.store.bicycle); // `..*` starts with the token itself
  });

  it('filters on arrays: comparisons, exists, && and ||, root references', () => {
    assert.deepEqual(select("$.store.book[?(@.category == 'fiction' && @.price < 10)].title"), ['Moby Dick']);
    assert.deepEqual(select('$.store.book[?(@.isbn)].title'), ['Moby Dick', 'The Lord of the Rings']);
    assert.deepEqual(select('$.store.book[?(@.price < $.limit)].price'), [8.95, 8.99]);
    assert.deepEqual(select("$.store.book[?(@.price > 20 || @.author == 'Nigel Rees')].price"), [8.95, 22.99]);
    assert.deepEqual(select('$.store.book[?(@.author =~ /melville$/i)].title'), ['Moby Dick']);
  });

  it('== is case-sensitive and typed: Passed is not passed, 1 is not "1"', () => {
    const items = { items: [{ s: 'passed', n: 1 }, { s: 'Passed', n: '1' }] };
    assert.equal(select("$.items[?(@.s == 'passed')]", items).length, 1);
    assert.equal(select("$.items[?(@.s == 'PASSED')]", items).length, 0);
    assert.equal(select('$.items[?(@.n == 1)]', items).length, 1);
    assert.equal(select('$.items[?(@.n == 1.0)]', items).length, 1);
    assert.equal(select("$.items[?(@.n == '1')]", items).length, 1);
  });

  it('a comparison with a missing left side never matches, not even !=', () => {
    const items = { items: [{ s: 'a' }, {}] };
    assert.equal(select("$.items[?(@.s != 'b')]", items).length, 1);
  });

  it('a filter on an object tests its properties, not the object: nothing matches @.name', () => {
    const d = { properties: { tags: { status: 'passed' } } };
    assert.deepEqual(select("$.properties.tags[?(@.status == 'passed')]", d), []);
    assert.deepEqual(select("$.properties[?(@.tags.status == 'passed')]", d), []);
    // The bare @ is the property itself, so only an existence test matches it.
    const props = select('$.properties.tags[?(@)]', d);
    assert.equal(props.length, 1);
    assert.ok(props[0] instanceof JsonProperty && props[0].name === 'status');
  });

  it('the recursive-descent filter tests the start token and everything below it', () => {
    const d = { properties: { tags: { status: 'passed' }, properties: { status: 'passed' } } };
    assert.deepEqual(select("$.properties..[?(@.tags.status == 'passed')]", d), [d.properties]);
    assert.deepEqual(select("$.properties..[?(@.status == 'passed')]", d), [d.properties.tags, d.properties.properties]);
    assert.deepEqual(select("$..[?(@['status'] == 'Passed')]", d), []);
  });

  it('rejects malformed paths', () => {
    for (const p of ['$.a[', "$.a[?(@.x == )]", "$['a\\q']", '$.a[?(@.x == 1]', '$.a[1x]', '$.', "$.a['b'", '$.a b']) {
      assert.throws(() => select(p, { a: [] }), JsonPathError, p);
    }
  });
});
