import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseParquet } from '../../../../shared/explain/data/parquet';
import { loadTable } from '../../../../shared/explain/data/table';
import { writeParquet } from './parquetWriter';

describe('explain/data/parquet', () => {
  let dir: string;
  before(() => { dir = mkdtempSync(path.join(tmpdir(), 'explain-pq-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reads double, int64, int32 and string columns, nulls as NaN / empty', async () => {
    const bytes = writeParquet([
      { name: 'age', type: 'double', values: [31.5, null, 40] },
      { name: 'visits', type: 'int64', values: [3, 7, 2 ** 40] },
      { name: 'code', type: 'int32', values: [-1, 0, 5] },
      { name: 'city', type: 'string', values: ['Oslo', null, 'Zürich'] },
    ]);
    const file = path.join(dir, 'data.parquet');
    writeFileSync(file, bytes);
    const t = await loadTable(file);
    assert.deepEqual(t.columns, ['age', 'visits', 'code', 'city']);
    assert.equal(t.rowCount, 3);
    assert.equal(t.source, file);
    assert.deepEqual(Array.from(t.values[0] as Float64Array), [31.5, NaN, 40]);
    assert.deepEqual(Array.from(t.values[1] as Float64Array), [3, 7, 2 ** 40]);
    assert.deepEqual(Array.from(t.values[2] as Float64Array), [-1, 0, 5]);
    assert.deepEqual(t.values[3], ['Oslo', '', 'Zürich']);
  });

  it('rejects a file that is not Parquet, naming it', async () => {
    await assert.rejects(parseParquet(new TextEncoder().encode('a,b\n1,2\n'), 'x.parquet'), /x\.parquet: not a readable Parquet file/);
  });
});
