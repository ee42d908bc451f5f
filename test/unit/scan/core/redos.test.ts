/**
 * Every regular expression literal in the scanner core (and the waiver matcher) is linear-time: each is
 * found with the TypeScript scanner, so a new one cannot escape the check, and proved safe by recheck.
 */
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { checkSync } from 'recheck';
import ts from 'typescript';

const ROOT = path.resolve(__dirname, '../../../../..');
const FILES = [
  ...readdirSync(path.join(ROOT, 'shared/scan'))
    .filter((f) => f.endsWith('.ts'))
    .map((f) => `shared/scan/${f}`),
  'shared/rules/waivers.ts',
];

/** Regular expression literals of a TypeScript source, as written (from the syntax tree, so never a division). */
export function regexLiterals(source: string): string[] {
  const out: string[] = [];
  const visit = (node: ts.Node): void => {
    if (node.kind === ts.SyntaxKind.RegularExpressionLiteral) out.push((node as ts.RegularExpressionLiteral).text);
    ts.forEachChild(node, visit);
  };
  visit(ts.createSourceFile('x.ts', source, ts.ScriptTarget.Latest, true));
  return out;
}

describe('scan core: regular expressions are linear-time', () => {
  it('finds regex literals and not divisions', () => {
    assert.deepEqual(regexLiterals('const a = b / c / d; const r = /x+y/g; f(`${a}/${b}`, /a|b/); return /z/.test(q);'), ['/x+y/g', '/a|b/', '/z/']);
  });

  it('sees the regexes of the core (a sanity check on the file list)', () => {
    const all = FILES.flatMap((f) => regexLiterals(readFileSync(path.join(ROOT, f), 'utf8')));
    assert.ok(all.length >= 10, all.join(' '));
  });

  it('recheck tells a vulnerable pattern from a safe one (the checker works here)', () => {
    assert.equal(checkSync('^(a+)+$', '').status, 'vulnerable');
    assert.equal(checkSync('^a+$', '').status, 'safe');
  });

  for (const file of FILES) {
    it(`every regex in ${file} is safe`, () => {
      const literals = regexLiterals(readFileSync(path.join(ROOT, file), 'utf8'));
      for (const lit of literals) {
        const end = lit.lastIndexOf('/');
        const d = checkSync(lit.slice(1, end), lit.slice(end + 1));
        assert.equal(d.status, 'safe', `${file}: ${lit} is ${d.status}`);
      }
    });
  }
});
