/**
 * Parquet into a Table with hyparquet (pure JS, read-only, ESM: loaded with import()). Flat schemas only:
 * numeric and boolean columns become numbers (null -> NaN, INT64 bigints -> numbers), string columns stay
 * strings (null -> ''). A nested column (list, struct, map) is an error naming it.
 */
import { readFile } from 'node:fs/promises';
import type { Table } from '../types';
import { DataFormatError } from './csv';

export async function parseParquet(bytes: Uint8Array, source: string): Promise<Table> {
  const hp = await import('hyparquet');
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  let metadata;
  try {
    metadata = hp.parquetMetadata(file);
  } catch (e) {
    throw new DataFormatError(`${source}: not a readable Parquet file: ${(e as Error).message}`);
  }
  const schema = hp.parquetSchema(metadata);
  const columns: string[] = [];
  for (const child of schema.children) {
    if (child.children.length) {
      throw new DataFormatError(`${source}: column "${child.element.name}" is nested (list, struct or map); only flat columns of numbers or strings can be read. Flatten it before export.`);
    }
    columns.push(child.element.name);
  }
  let rows: unknown[][];
  try {
    rows = await new Promise<unknown[][]>((resolve, reject) => {
      hp.parquetRead({ file, metadata, columns, rowFormat: 'array', onComplete: resolve }).catch(reject);
    });
  } catch (e) {
    throw new DataFormatError(`${source}: the Parquet data could not be decoded: ${(e as Error).message}`);
  }
  const values = columns.map((name, k) => toColumn(rows, k, name, source));
  return { columns, values, rowCount: rows.length, source };
}

export async function loadParquet(path: string): Promise<Table> {
  return parseParquet(new Uint8Array(await readFile(path)), path);
}

function toColumn(rows: unknown[][], k: number, name: string, source: string): Float64Array | string[] {
  const isText = rows.some((r) => typeof r[k] === 'string');
  if (isText) return rows.map((r) => (r[k] === null || r[k] === undefined ? '' : String(r[k])));
  const out = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const v = rows[i][k];
    if (v === null || v === undefined) out[i] = NaN;
    else if (typeof v === 'number') out[i] = v;
    else if (typeof v === 'bigint') out[i] = Number(v);
    else if (typeof v === 'boolean') out[i] = v ? 1 : 0;
    else if (v instanceof Date) out[i] = v.getTime();
    else throw new DataFormatError(`${source}: column "${name}" row ${i + 1} holds a ${v?.constructor?.name ?? typeof v} value; only numbers and strings can be read.`);
  }
  return out;
}
