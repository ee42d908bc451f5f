import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Finding } from '../../../../shared/rules/types';
import { makeTree, removeTree, scan, textAt } from './helpers';
import { makeToken } from './testPlugins';

/** nbformat 4 as Jupyter writes it (one-space indent), secrets made at run time. */
function notebook(t: Record<string, string>): unknown {
  return {
    cells: [
      { cell_type: 'markdown', metadata: {}, source: ['# Training\n', 'Nothing secret here.'] },
      {
        cell_type: 'code',
        execution_count: 1,
        metadata: {},
        source: ['import os\n', 'client = connect(os.environ["TOKEN"])\n'],
        outputs: [
          { output_type: 'stream', name: 'stdout', text: ['connecting\n', `using token ${t.stream}\n`] },
          { output_type: 'execute_result', execution_count: 1, metadata: {}, data: { 'text/plain': ['settings:\n', `password: ${t.password}\n`] } },
          {
            output_type: 'display_data',
            metadata: {},
            // The PNG payload holds a token-shaped string that must be ignored; the text beside it must not be.
            data: { 'image/png': `iVBORw0KGgo${t.image}AAAA`, 'text/plain': [`<Figure for ${t.beside}>`] },
          },
        ],
      },
      {
        cell_type: 'code',
        execution_count: 2,
        metadata: { tags: [] },
        source: 'raise RuntimeError(tok)',
        outputs: [
          {
            output_type: 'error',
            ename: 'RuntimeError',
            evalue: `bad token ${t.evalue}`,
            traceback: ['\u001b[0;31m---------------------------------------------------------------------------\u001b[0m', `\u001b[0;31mRuntimeError\u001b[0m: bad token ${t.traceback}`],
          },
        ],
      },
    ],
    metadata: {
      kernelspec: { name: 'python3', display_name: 'Python 3' },
      widgets: { 'application/vnd.jupyter.widget-state+json': { state: { w1: { model_name: 'TextModel', state: { value: t.widget } } }, version_major: 2, version_minor: 0 } },
    },
    nbformat: 4,
    nbformat_minor: 5,
  };
}

describe('scan core: notebooks', () => {
  let root: string;
  let text: string;
  const t: Record<string, string> = {};
  let findings: Finding[];
  let warnings: string[];

  before(async () => {
    for (const k of ['stream', 'image', 'beside', 'evalue', 'traceback', 'widget']) t[k] = makeToken();
    t.password = `Pw-${makeToken().slice(3, 17)}`;
    text = JSON.stringify(notebook(t), null, 1) + '\n';
    root = makeTree({ 'nb/train.ipynb': text });
    ({ findings, warnings } = await scan(root));
  });
  after(() => removeTree(root));

  const find = (value: string) => findings.find((f) => textAt(text, f.location!.line, f.location!.column, value.length) === value);

  it('finds secrets that are only in outputs: stream, text/plain, error value and traceback', () => {
    assert.deepEqual(warnings, []);
    assert.deepEqual(find(t.stream)?.location?.cell, { index: 1, part: 'output', outputIndex: 0 });
    assert.deepEqual(find(t.password)?.location?.cell, { index: 1, part: 'output', outputIndex: 1 });
    assert.deepEqual(find(t.beside)?.location?.cell, { index: 1, part: 'output', outputIndex: 2 });
    assert.deepEqual(find(t.evalue)?.location?.cell, { index: 2, part: 'output', outputIndex: 0 });
    assert.deepEqual(find(t.traceback)?.location?.cell, { index: 2, part: 'output', outputIndex: 0 });
  });

  it('points each finding at the line and column of the value in the file on disk', () => {
    for (const k of ['stream', 'password', 'beside', 'evalue', 'traceback', 'widget']) {
      const f = find(t[k]);
      assert.ok(f, `${k} not found at its reported position`);
      const lineText = text.split('\n')[f.location!.line - 1];
      assert.equal(lineText.indexOf(t[k]) + 1, f.location!.column, k);
      assert.equal(f.location!.endColumn, f.location!.column + t[k].length, k);
    }
  });

  it('skips image payloads but not the text next to them', () => {
    assert.equal(find(t.image), undefined);
    assert.ok(find(t.beside));
  });

  it('scans widget state and other metadata as raw text, outside any cell', () => {
    const f = find(t.widget);
    assert.ok(f);
    assert.equal(f.location!.cell, undefined);
  });

  it('reports nothing twice and lets the per-path detector variant apply', () => {
    assert.equal(findings.length, 6);
    assert.equal(find(t.password)?.ruleId, 'SEC-TEST-002B');
  });

  it('decodes JSON escapes before matching and maps the finding to the escaped text', async () => {
    const token = makeToken();
    const escaped = token.replace('tk_', 'tk\\u005f');
    const body = `{"cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "source": ["x = 1\\n", "key = \\"${escaped}\\"\\n"]}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}\n`;
    const dir = makeTree({ 'e.ipynb': body });
    try {
      const r = await scan(dir);
      assert.equal(r.findings.length, 1);
      const loc = r.findings[0].location!;
      assert.deepEqual(loc.cell, { index: 0, part: 'source' });
      assert.equal(body.slice(loc.column - 1, loc.endColumn! - 1), escaped);
    } finally {
      removeTree(dir);
    }
  });

  it('scans a malformed notebook as plain text, with a warning naming it', async () => {
    const token = makeToken();
    const full = JSON.stringify(notebook({ ...t, stream: token }), null, 1);
    const dir = makeTree({ 'broken.ipynb': full.slice(0, full.indexOf(token) + token.length + 20) });
    try {
      const r = await scan(dir);
      assert.equal(r.warnings.length, 1);
      assert.match(r.warnings[0], /^broken\.ipynb: not a valid notebook \((unterminated string|unexpected end).* at byte \d+\); scanned as plain text/);
      const f = r.findings.find((x) => x.ruleId === 'SEC-TEST-001' && textAt(readFileSync(path.join(dir, 'broken.ipynb'), 'utf8'), x.location!.line, x.location!.column, token.length) === token);
      assert.ok(f);
      assert.equal(f.location!.cell, undefined);
    } finally {
      removeTree(dir);
    }
  });
});
