/** Loads a local data file into a Table, by extension: .csv / .tsv, or .parquet / .pq. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Table } from '../types';
import { DataFormatError, parseCsv } from './csv';
import { parseParquet } from './parquet';

export { DataFormatError } from './csv';

export async function loadTable(file: string): Promise<Table> {
  const ext = path.extname(file).toLowerCase();
  if (!['.csv', '.tsv', '.parquet', '.pq'].includes(ext)) {
    throw new DataFormatError(`${file}: unknown data file type "${ext || '(none)'}"; give a .csv, .tsv or .parquet file`);
  }
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new DataFormatError(code === 'ENOENT' ? `${file}: data file not found` : code === 'EISDIR' ? `${file}: is a folder, not a data file` : `${file}: cannot be read (${code ?? (e as Error).message})`);
  }
  if (ext === '.parquet' || ext === '.pq') return parseParquet(new Uint8Array(bytes), file);
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  return parseCsv(text, file, ext === '.tsv' ? '\t' : ',');
}
