/**
 * Every regular expression in the model analyzers is linear-time: the literals are collected from the sources'
 * syntax trees (so a new one cannot be forgotten) and each is proved safe by the recheck ReDoS checker.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { checkSync } from 'recheck';
import ts from 'typescript';

const DIR = path.resolve(__dirname, '../../../../../shared/scan/models');

function literals(file: string): string[] {
  const src = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const out: string[] = [];
  const visit = (n: ts.Node) => {
    if (n.kind === ts.SyntaxKind.RegularExpressionLiteral) out.push(n.getText(src));
    if (ts.isNewExpression(n) || ts.isCallExpression(n)) {
      const callee = n.expression.getText(src);
      assert.notEqual(callee, 'RegExp', `${path.basename(file)}: build no RegExp at run time (${n.getText(src).slice(0, 60)})`);
    }
    ts.forEachChild(n, visit);
  };
  visit(src);
  return out;
}

describe('models: regular expressions are linear-time', () => {
  const files = readdirSync(DIR).filter((f) => f.endsWith('.ts')).map((f) => path.join(DIR, f));

  it('the sources are found and hold regexes', () => {
    assert.ok(files.length >= 10);
    assert.ok(files.flatMap(literals).length >= 15);
    assert.equal(checkSync('^(a|a)*$', '').status, 'vulnerable', 'the checker itself works here');
  });

  for (const file of files) {
    it(`every regex in ${path.basename(file)} is safe`, () => {
      for (const lit of literals(file)) {
        const end = lit.lastIndexOf('/');
        const d = checkSync(lit.slice(1, end), lit.slice(end + 1));
        assert.equal(d.status, 'safe', `${lit} is ${d.status}`);
      }
    });
  }
});
