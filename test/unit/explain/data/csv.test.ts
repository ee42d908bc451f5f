import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseCsv } from '../../../../shared/explain/data/csv';
import { loadTable } from '../../../../shared/explain/data/table';

describe('explain/data/csv', () => {
  it('handles BOM, CRLF, quotes, escaped quotes, embedded newlines and delimiters', () => {
    const t = parseCsv('\ufeffid,name,score\r\n1,"Smith, ""J""",0.5\r\n2,"two\nlines",1e3\r\n3,plain,-2\r\n', 'd.csv');
    assert.deepEqual(t.columns, ['id', 'name', 'score']);
    assert.equal(t.rowCount, 3);
    assert.deepEqual(t.values[1], ['Smith, "J"', 'two\nlines', 'plain']);
    assert.deepEqual(Array.from(t.values[2] as Float64Array), [0.5, 1000, -2]);
    assert.ok(t.values[0] instanceof Float64Array);
  });

  it('makes empty and NA fields NaN in numeric columns, keeps text columns as strings', () => {
    const t = parseCsv('a,b,c\n1,,x\n,NaN,\nNA,3,z\n', 'd.csv');
    assert.deepEqual(Array.from(t.values[0] as Float64Array), [1, NaN, NaN]);
    assert.deepEqual(Array.from(t.values[1] as Float64Array), [NaN, NaN, 3]);
    assert.deepEqual(t.values[2], ['x', '', 'z']);
  });

  it('no trailing newline, blank lines skipped, a quoted empty field kept', () => {
    const t = parseCsv('a,b\n1,2\n\n3,""', 'd.csv');
    assert.equal(t.rowCount, 2);
    assert.deepEqual(Array.from(t.values[1] as Float64Array), [2, NaN]);
  });

  it('gives the line number of each error', () => {
    assert.throws(() => parseCsv('a,b\n1,2\n3\n', 'd.csv'), /d\.csv: line 3: 1 fields, but the header has 2 columns/);
    assert.throws(() => parseCsv('a,b\n1,"x\n\n', 'd.csv'), /d\.csv: line 2: a quoted field is never closed/);
    assert.throws(() => parseCsv('a,b\n"x\ny",2\n5,"q"z\n', 'd.csv'), /line 4: text after a closing quote/);
    assert.throws(() => parseCsv('a,b\n1,ab"c\n', 'd.csv'), /line 2: a quote inside an unquoted field/);
    assert.throws(() => parseCsv('a,a\n1,2\n', 'd.csv'), /column name "a" appears twice/);
    assert.throws(() => parseCsv('a,\n1,2\n', 'd.csv'), /column 2 has no name/);
    assert.throws(() => parseCsv('', 'd.csv'), /empty/);
  });

  it('loadTable picks the format by extension and names missing files', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'explain-csv-'));
    try {
      writeFileSync(path.join(dir, 'x.tsv'), 'a\tb\n1\t2\n');
      const t = await loadTable(path.join(dir, 'x.tsv'));
      assert.deepEqual(t.columns, ['a', 'b']);
      await assert.rejects(loadTable(path.join(dir, 'missing.csv')), /missing\.csv: data file not found/);
      await assert.rejects(loadTable(path.join(dir, 'x.xlsx')), /unknown data file type "\.xlsx"/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
