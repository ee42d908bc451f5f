/**
 * The expression evaluator on its own: the examples of expressions.md and servertaskauthoring.md with the
 * results those pages state, the documented type conversions, and what must be a parse or evaluation error.
 */
import * as assert from 'node:assert/strict';
import { evaluateCondition, evaluateExpression } from './expression/evaluate';
import { ExpressionParseError } from './expression/parser';
import { FilteredArray, TypeCastError, Version } from './expression/values';

const holds = (e: string, root?: unknown, namedValues?: Record<string, unknown>) => evaluateCondition(e, { root, namedValues });
const value = (e: string, root?: unknown, namedValues?: Record<string, unknown>) => evaluateExpression(e, { root, namedValues });

describe('Azure DevOps expression evaluator', () => {
  describe('examples from expressions.md', () => {
    const variables = { letters: 'ABC', numbers: '123', couldBeNull: null, couldAlsoBeNull: '' };
    const cases: Array<[string, boolean]> = [
      ["and(eq(variables.letters, 'ABC'), eq(variables.numbers, 123))", true],
      ["contains('ABCDE', 'BCD')", true],
      ["endsWith('ABCDE', 'DE')", true],
      ["eq(variables.letters, 'abc')", true],
      ['ge(5, 5)', true],
      ['gt(5, 2)', true],
      ["in('B', 'A', 'B', 'C')", true],
      ['le(2, 2)', true],
      ['lt(2, 5)', true],
      ['ne(1, 2)', true],
      ['not(eq(1, 2))', true],
      ["notIn('D', 'A', 'B', 'C')", true],
      ['or(eq(1, 1), eq(2, 3))', true],
      ["startsWith('ABCDE', 'AB')", true],
      ['xor(True, False)', true],
      ['xor(true, TRUE)', false],
    ];
    for (const [e, expected] of cases) {
      it(`${e} is ${expected}`, () => assert.equal(holds(e, undefined, { variables }), expected));
    }

    it("coalesce skips null and '' and returns the first other value", () => {
      assert.equal(value("coalesce(variables.couldBeNull, variables.couldAlsoBeNull, 'literal so it always works')", undefined, { variables }), 'literal so it always works');
      assert.equal(value("coalesce(variables.couldBeNull, '')", undefined, { variables }), '');
      assert.equal(value("coalesce('', 0)"), 0);
    });

    it('literals: booleans in any case, negative and fractional numbers, strings with doubled quotes, versions', () => {
      assert.equal(value('TRUE'), true);
      assert.equal(value('-1.2'), -1.2);
      assert.equal(value('.5'), 0.5);
      assert.equal(value("'It''s OK'"), "It's OK");
      const v = value('1.2.3');
      assert.ok(v instanceof Version);
      assert.equal(String(v), '1.2.3');
    });

    it('filtered arrays: foo.*.id gives the id of each item', () => {
      const foo = [{ id: 1, a: 'avalue1' }, { id: 2, a: 'avalue2' }, { id: 3, a: 'avalue3' }];
      const ids = value('root.foo.*.id', { foo });
      assert.ok(ids instanceof FilteredArray);
      assert.deepEqual(ids.items, [1, 2, 3]);
      assert.equal(value("count(root.foo.*.a)", { foo }), 3);
      assert.equal(value("count(root['foo'][*]['missing'])", { foo }), 0);
    });
  });

  describe('examples from servertaskauthoring.md (each evaluates to true)', () => {
    it("eq(root['status'], 'successful')", () => {
      assert.equal(holds("eq(root['status'], 'successful')", { id: 5, name: 'myObject', description: 'this is my object description', status: 'successful' }), true);
    });
    it("ge(count(root['ActiveReleaseNames']), 3)", () => {
      assert.equal(holds("ge(count(root['ActiveReleaseNames']), 3)", { ActiveReleaseNames: ['Release1', 'Release2', 'Release3'] }), true);
    });
    it('and(eq(count(jsonpath(…price<50…)), 1), eq(count(jsonpath(…price>60…)), 2))', () => {
      const body = { Items: [{ name: 'item1', price: 100 }, { name: 'item2', price: 40 }, { name: 'item3', price: 70 }] };
      assert.equal(holds("and(eq(count(jsonpath('Items[?(@.price<50)]')), 1), eq(count(jsonpath('Items[?(@.price>60)]')), 2))", body), true);
    });
    it("AzureMonitorV1's eq(count(jsonpath('$.value[*]')), 0): true without alerts, false with one", () => {
      assert.equal(holds("eq(count(jsonpath('$.value[*]')), 0)", { value: [] }), true);
      assert.equal(holds("eq(count(jsonpath('$.value[*]')), 0)", { value: [{ id: 'a' }] }), false);
    });
  });

  describe('type conversions (expressions.md, "Type casting")', () => {
    const cases: Array<[string, boolean]> = [
      ["eq(root['missing'], '')", true], // null equals the empty string
      ["eq('', root['missing'])", true],
      ["eq(0, '')", true], // '' to number is 0
      ["eq(1, '1.0')", true], // right converted to the left's kind (Number)
      ["eq('1.0', 1)", false], // ... here to String: '1.0' vs '1'
      ["eq(true, 'false')", true], // a non-empty string is true
      ["eq(true, '')", false],
      ["eq('true', true)", true], // Boolean to String
      ["eq(1.2.3, '1.2.3')", true],
      ["eq(1.2.3, '1.2.3.0')", false], // .NET Version: 1.2.3 and 1.2.3.0 differ
      ["eq(1, ' 1,000 ')", false],
      ["eq(1000, ' 1,000 ')", true], // Decimal.TryParse: thousands, surrounding white space
      ["eq(5, 'five')", false], // conversion fails: not equal
      ["ne(5, 'five')", true],
      ["eq('Passed', 'passed')", true], // ordinal ignore-case
      ["eq(root['o'], root['o'])", true], // an object equals itself
      ["eq(root['o'], root['p'])", false], // ... and no equal-looking other object
      ["eq(root['o'], '')", false],
      ["contains(1.5, '.5')", true], // Number to String
      ["in(2, '1', '2')", true],
      ["gt('b', 'A')", true], // ignore case
      ["lt(1.10.0, 1.9.0)", false], // versions by component
    ];
    for (const [e, expected] of cases) {
      it(`${e} is ${expected}`, () => assert.equal(holds(e, { o: { a: 1 }, p: { a: 1 } }), expected));
    }

    it('an array, an object and a version are true; null, 0 and the empty string false', () => {
      assert.equal(holds("root['a']", { a: [] }), true);
      assert.equal(holds("root['o']", { o: {} }), true);
      assert.equal(holds('1.2.3'), true);
      assert.equal(holds("root['missing']", {}), false);
      assert.equal(holds('0'), false);
      assert.equal(holds("''"), false);
    });

    it('an ordering comparison that cannot convert is an error, not false', () => {
      assert.throws(() => holds("gt(1, 'abc')"), TypeCastError);
      assert.throws(() => holds("lt(root['a'], 1)", { a: [1] }), TypeCastError);
    });

    it('contains, startsWith and endsWith cast to String: an array cannot be (containsValue is for arrays)', () => {
      assert.throws(() => holds("contains(root['a'], 'x')", { a: ['x'] }), TypeCastError);
      assert.equal(holds("containsValue(root['a'], 'X')", { a: ['x', 'y'] }), true);
      assert.equal(holds("containsValue(root['o'], 2)", { o: { k: '2' } }), true);
      assert.equal(holds("containsValue(root['a'], 'z')", { a: ['x', 'y'] }), false);
    });

    it('numbers become text with at most seven decimals and no exponent', () => {
      assert.equal(holds("eq('0.3333333', 0.33333333333)"), true);
      assert.equal(holds("eq('100000000000000000000', 100000000000000000000)"), true);
      assert.equal(holds("startsWith(-0.5, '-0.5')"), true);
    });
  });

  describe('evaluation order', () => {
    it('and and or short-circuit: the error after the deciding argument is never evaluated', () => {
      assert.equal(holds("or(true, gt(1, 'abc'))"), true);
      assert.equal(holds("and(false, gt(1, 'abc'))"), false);
      assert.throws(() => holds("or(false, gt(1, 'abc'))"), TypeCastError);
    });
  });

  describe('indexing', () => {
    const root = { a: { b: [10, 20, 30] }, 'x-y': 'dash', K: 'upper' };
    it('by name, by dereference, by index (a numeric string too); misses give null', () => {
      assert.equal(value("root['a']['b'][1]", root), 20);
      assert.equal(value('root.a.b[2]', root), 30);
      assert.equal(value("root.a.b['0']", root), 10);
      assert.equal(value("root['x-y']", root), 'dash');
      assert.equal(value("root['a']['b'][3]", root), null);
      assert.equal(value("root['a']['b'][-1]", root), null);
      assert.equal(value("root['k']", root), null); // keys are case-sensitive
      assert.equal(value("root['a']['b']['c']['d']", root), null);
      assert.equal(value("root['K']", root), 'upper');
    });
    it('jsonpath returns an array that can be indexed and counted', () => {
      assert.equal(value("jsonpath('$.a.b[*]')[1]", root), 20);
      assert.equal(value("count(jsonpath('$.a.b[*]'))", root), 3);
      assert.deepEqual(value("jsonpath('$.nothing')", root), []);
    });
  });

  describe('syntax errors', () => {
    const bad = [
      'eq(1)', // too few arguments
      'eq(1, 2, 3)', // too many
      'not()',
      'nosuch(1)', // unknown function
      'eq(1, 2', // unclosed
      'eq(1,, 2)',
      "'abc'[0]", // a literal cannot be indexed
      "root['a'",
      'root.',
      'null', // no null literal
      "eq(1, 2) eq(3, 4)",
      "'unterminated",
      '1e5',
      'eq(root-x, 1)',
      '',
      `${'not('.repeat(60)}true${')'.repeat(60)}`,
    ];
    for (const e of bad) {
      it(`rejects ${JSON.stringify(e.length > 40 ? e.slice(0, 40) + '…' : e)}`, () => assert.throws(() => value(e, {}), ExpressionParseError));
    }
    it('function names are case-insensitive', () => {
      assert.equal(holds("EQ(1, 1)"), true);
      assert.equal(holds("StartsWith('abc', 'A')"), true);
    });
  });
});
