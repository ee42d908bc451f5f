/**
 * CSV (RFC 4180) into a Table: quoted fields, "" escapes, CRLF or LF, a UTF-8 BOM. A column whose every
 * non-missing field is a number becomes numeric (missing: empty, NaN, NA, null -> NaN); any other column keeps
 * its strings. Errors name the source and the physical line.
 */
import type { Table } from '../types';

export class DataFormatError extends Error {
  constructor(message: string) { super(message); this.name = 'DataFormatError'; }
}

const MISSING = new Set(['', 'nan', 'na', 'null', 'none']);

interface Row { fields: string[]; line: number }

/** Splits CSV text into rows of fields. Quotes must enclose a whole field; a stray quote is an error. */
export function parseCsvRows(text: string, source: string, delimiter = ','): Row[] {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const rows: Row[] = [];
  let fields: string[] = [], field = '', line = 1, rowLine = 1, i = 0;
  const n = text.length;
  let fieldStarted = false;
  const endRow = (): void => {
    fields.push(field);
    // A blank line (one empty unquoted field) is skipped, as pandas does.
    if (!(fields.length === 1 && fields[0] === '' && !fieldStarted)) rows.push({ fields, line: rowLine });
    fields = []; field = ''; fieldStarted = false;
  };
  while (i < n) {
    const c = text[i];
    if (c === '"' && field === '' && !fieldStarted) {
      // Quoted field: runs to the next lone quote.
      const startLine = line;
      fieldStarted = true;
      i++;
      for (;;) {
        if (i >= n) throw new DataFormatError(`${source}: line ${startLine}: a quoted field is never closed (missing ")`);
        const q = text[i];
        if (q === '"') {
          if (text[i + 1] === '"') { field += '"'; i += 2; continue; }
          i++;
          break;
        }
        if (q === '\n') line++;
        field += q;
        i++;
      }
      const after = text[i];
      if (i < n && after !== delimiter && after !== '\n' && after !== '\r') {
        throw new DataFormatError(`${source}: line ${line}: text after a closing quote; a field that contains quotes must be quoted whole, with quotes doubled ("")`);
      }
      continue;
    }
    if (c === delimiter) { fields.push(field); field = ''; fieldStarted = false; i++; continue; }
    if (c === '\r' || c === '\n') {
      endRow();
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
      line++;
      rowLine = line;
      continue;
    }
    if (c === '"') throw new DataFormatError(`${source}: line ${line}: a quote inside an unquoted field; quote the whole field and double the quote ("")`);
    field += c;
    fieldStarted = true;
    i++;
  }
  if (field !== '' || fields.length || fieldStarted) endRow();
  return rows;
}

export function parseCsv(text: string, source: string, delimiter = ','): Table {
  const rows = parseCsvRows(text, source, delimiter);
  if (!rows.length) throw new DataFormatError(`${source}: the file is empty; it needs a header line and data rows`);
  const header = rows[0].fields.map((h) => h.trim());
  const seen = new Map<string, number>();
  header.forEach((h, k) => {
    if (!h) throw new DataFormatError(`${source}: line ${rows[0].line}: column ${k + 1} has no name in the header`);
    if (seen.has(h)) throw new DataFormatError(`${source}: line ${rows[0].line}: column name "${h}" appears twice (columns ${seen.get(h)! + 1} and ${k + 1})`);
    seen.set(h, k);
  });
  const data = rows.slice(1);
  for (const r of data) {
    if (r.fields.length !== header.length) {
      throw new DataFormatError(`${source}: line ${r.line}: ${r.fields.length} fields, but the header has ${header.length} columns`);
    }
  }
  const values = header.map((_, k) => columnValues(data.map((r) => r.fields[k])));
  return { columns: header, values, rowCount: data.length, source };
}

/** Numeric when every non-missing field parses as a finite-or-infinite number; else the strings. */
export function columnValues(fields: string[]): Float64Array | string[] {
  const out = new Float64Array(fields.length);
  for (let r = 0; r < fields.length; r++) {
    const s = fields[r].trim();
    if (MISSING.has(s.toLowerCase())) { out[r] = NaN; continue; }
    const v = parseNumber(s);
    if (v === undefined) return fields;
    out[r] = v;
  }
  return out;
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function parseNumber(s: string): number | undefined {
  if (NUMBER.test(s)) return Number(s);
  const l = s.toLowerCase();
  if (l === 'inf' || l === '+inf' || l === 'infinity' || l === '+infinity') return Infinity;
  if (l === '-inf' || l === '-infinity') return -Infinity;
  return undefined;
}
