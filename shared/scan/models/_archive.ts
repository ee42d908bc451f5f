/**
 * Walks the members of a model archive (PyTorch zip checkpoint, or any zip handed to a pickle analyzer) and
 * analyses each pickle member. Members are inflated one at a time under the file's budget.
 */
import type { IssueSink } from './_issues';
import { LIMITS, quote } from './_issues';
import { scanPickleStream } from './_pickleScan';
import { ARCHIVE_MALFORMED } from './_rules';
import type { ZipEntry } from './_zip';
import { readMember, readZipDirectory } from './_zip';

/** Reads the directory, reporting a malformed or over-large one; undefined when nothing can be read. */
export function openArchive(buf: Buffer, sink: IssueSink): ZipEntry[] | undefined {
  const dir = readZipDirectory(buf, LIMITS.maxArchiveEntries);
  if (!dir.ok) {
    sink.add({ ruleId: ARCHIVE_MALFORMED.id, message: `Zip archive is malformed: ${dir.error}.`, key: 'zip' });
    return undefined;
  }
  if (dir.total > dir.entries.length) {
    sink.limit(`${dir.total - dir.entries.length} archive member(s) beyond the first ${LIMITS.maxArchiveEntries}`, 'zip-entries', 'medium');
  }
  return dir.entries;
}

/** A member's full content under the file's inflation budget; reports and returns undefined when it cannot be read. */
export function memberContent(buf: Buffer, e: ZipEntry, sink: IssueSink, mayRunCode: boolean): Buffer | undefined {
  const cap = Math.min(LIMITS.maxInflatedMember, sink.budget.inflated);
  const r = readMember(buf, e, cap);
  if (r.ok) {
    if (e.method !== 0) sink.budget.inflated -= r.data.length;
    return r.data;
  }
  const name = quote(e.name);
  if (r.kind === 'malformed') sink.add({ ruleId: ARCHIVE_MALFORMED.id, message: `Archive member ${name} cannot be read: ${r.error}.`, key: `member:${e.name}` });
  else sink.limit(`archive member ${name} (${r.error})`, `member:${e.name}`, mayRunCode ? 'medium' : 'low');
  return undefined;
}

export function isPickleMember(name: string): boolean {
  const n = name.toLowerCase();
  return n.endsWith('.pkl') || n.endsWith('.pickle');
}

/** Analyses every pickle member of a zip archive (data.pkl, constants.pkl of TorchScript, …). */
export function scanArchivePickles(buf: Buffer, sink: IssueSink, depth: number): void {
  const entries = openArchive(buf, sink);
  if (!entries) return;
  for (const e of entries) {
    if (!isPickleMember(e.name)) continue;
    const data = memberContent(buf, e, sink, true);
    if (data) scanPickleStream(data, 0, { sink, member: `member ${quote(e.name)}`, depth });
  }
}
