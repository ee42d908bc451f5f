/**
 * NumPy .npy and .npz files. Numeric arrays are raw bytes and only their header is checked; an object array is a
 * pickle after the header, analysed like any pickle. In an .npz only the headers are inflated unless a member
 * holds objects.
 */
import type { ModelAnalyzer } from '../types';
import { IssueSink, quote, safely } from './_issues';
import { memberContent, openArchive } from './_archive';
import { looksLikeNpy, parseNpyHeader } from './_npy';
import { scanPickleStream } from './_pickleScan';
import {
  ARCHIVE_MALFORMED, NUMPY_MALFORMED, NUMPY_OBJECT_ARRAY, PICKLE_DANGEROUS, PICKLE_MALFORMED, PICKLE_UNLISTED, PICKLE_UNRESOLVED, SCAN_LIMIT,
} from './_rules';
import { looksLikeZip, readMember } from './_zip';

const HEAD_BYTES = 16 * 1024;

/**
 * Checks one .npy image. `declaredSize` is the archive's uncompressed size when `buf` holds only the head of a
 * member; `full` fetches the whole member when it turns out to hold a pickle.
 */
function scanNpy(buf: Buffer, sink: IssueSink, member: string | undefined, declaredSize: number, full: () => Buffer | undefined): void {
  const keyPrefix = member ? `${member}!` : '';
  const inWhat = member ? ` in ${member}` : '';
  const h = parseNpyHeader(buf);
  if (!h.ok) {
    sink.add({ ruleId: NUMPY_MALFORMED.id, message: `NumPy array${inWhat} is malformed: ${h.error}.`, key: `${keyPrefix}header` });
    return;
  }
  const { header } = h;
  if (header.hasObject) {
    sink.add({
      ruleId: NUMPY_OBJECT_ARRAY.id,
      message: `NumPy array${inWhat} has an object dtype: its data is a pickle (byte ${header.dataOffset}) that loads only with allow_pickle=True.`,
      byteOffset: header.dataOffset,
      key: `${keyPrefix}object-array`,
    });
    const data = full();
    if (data) scanPickleStream(data, header.dataOffset, { sink, ...(member ? { member } : {}), depth: 1 });
    return;
  }
  if (header.dataBytes !== undefined && header.dataOffset + header.dataBytes > declaredSize) {
    sink.add({
      ruleId: NUMPY_MALFORMED.id,
      severity: 'low',
      message: `NumPy array${inWhat} announces ${header.dataBytes} data bytes but holds ${Math.max(0, declaredSize - header.dataOffset)}.`,
      key: `${keyPrefix}size`,
    });
  }
}

function scanNpz(buf: Buffer, sink: IssueSink): void {
  const entries = openArchive(buf, sink);
  if (!entries) return;
  for (const e of entries) {
    if (!e.name.toLowerCase().endsWith('.npy')) continue;
    const member = `member ${quote(e.name)}`;
    const head = readMember(buf, e, HEAD_BYTES, HEAD_BYTES);
    if (!head.ok) {
      if (head.kind === 'malformed') sink.add({ ruleId: ARCHIVE_MALFORMED.id, message: `Archive member ${quote(e.name)} cannot be read: ${head.error}.`, key: `member:${e.name}` });
      else sink.limit(`archive member ${quote(e.name)} (${head.error})`, `member:${e.name}`, 'medium');
      continue;
    }
    scanNpy(head.data, sink, member, e.size, () => memberContent(buf, e, sink, true));
  }
}

export const numpyAnalyzer: ModelAnalyzer = {
  rules: [NUMPY_OBJECT_ARRAY, NUMPY_MALFORMED, PICKLE_DANGEROUS, PICKLE_UNLISTED, PICKLE_UNRESOLVED, PICKLE_MALFORMED, ARCHIVE_MALFORMED, SCAN_LIMIT],
  extensions: ['.npy', '.npz'],
  sniff: looksLikeNpy,
  analyze(bytes) {
    const sink = new IssueSink();
    return safely(sink, NUMPY_MALFORMED.id, () => {
      if (looksLikeZip(bytes)) scanNpz(bytes, sink);
      else scanNpy(bytes, sink, undefined, bytes.length, () => bytes);
    });
  },
};
