/**
 * SHA-256 of every file of a model: a single file, or a folder walked recursively. Names are relative
 * POSIX paths (a single file: its base name), sorted by UTF-16 code units like canonical JSON keys, so
 * the list is the same on Windows and Linux agents. Files are streamed through one reused buffer each:
 * a model of many gigabytes costs a few MiB of memory.
 *
 * Symbolic links are followed only while they stay inside the model folder: a link out of it would make
 * the evidence describe files that are not part of the model. Anything but regular files and folders
 * (sockets, FIFOs, devices) is refused, since reading a FIFO can block forever.
 */
import { open, opendir, realpath, stat } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { basename, join, relative, sep } from 'node:path';

export interface FileDigest {
  /** Relative POSIX path inside the model folder (a single-file model: the file's base name). */
  name: string;
  /** Lower-case hex SHA-256 of the file's bytes. */
  sha256: string;
  size: number;
}

export class DigestError extends Error {
  override name = 'DigestError';
}

const CHUNK = 1024 * 1024;
/** Files hashed at once: enough to overlap I/O with hashing, few enough to keep memory flat. */
const PARALLEL = 4;

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Streams one file through SHA-256 with the given buffer. */
export async function digestFile(path: string, buffer: Buffer = Buffer.allocUnsafe(CHUNK)): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  const handle = await open(path, 'r');
  let size = 0;
  try {
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
      size += bytesRead;
    }
  } finally {
    await handle.close();
  }
  return { sha256: hash.digest('hex'), size };
}

function inside(root: string, real: string): boolean {
  const rel = relative(root, real);
  return rel === '' || (!rel.startsWith('..') && !rel.startsWith(sep) && !/^[A-Za-z]:/.test(rel));
}

/** Lists the regular files under `root` (already a real path) as [relative POSIX name, path to read]. */
async function listFiles(root: string): Promise<Array<[string, string]>> {
  const files: Array<[string, string]> = [];
  // Real paths of folders on the current walk: a link back to one of them is a cycle.
  const walk = async (dir: string, ancestors: Set<string>): Promise<void> => {
    const entries: string[] = [];
    for await (const entry of await opendir(dir)) entries.push(entry.name);
    for (const name of entries) {
      const path = join(dir, name);
      const rel = relative(root, path).split(sep).join('/');
      const info = await stat(path).catch((e: NodeJS.ErrnoException) => {
        throw new DigestError(e.code === 'ENOENT' ? `${rel}: a symbolic link whose target does not exist` : `${rel}: ${e.message}`);
      });
      const real = await realpath(path);
      if (!inside(root, real)) throw new DigestError(`${rel}: a symbolic link that leaves the model folder (to ${real})`);
      if (info.isDirectory()) {
        if (ancestors.has(real)) throw new DigestError(`${rel}: a symbolic link that loops back to ${relative(root, real).split(sep).join('/') || '.'}`);
        await walk(path, new Set(ancestors).add(real));
      } else if (info.isFile()) {
        files.push([rel, path]);
      } else {
        throw new DigestError(`${rel}: not a regular file or folder`);
      }
    }
  };
  await walk(root, new Set([root]));
  return files;
}

/**
 * Digests of a model: every file under a folder, or one file. Refuses an empty folder (evidence about
 * nothing), links that leave the folder, link cycles and special files, each with a message naming the path.
 */
export async function digestModel(path: string): Promise<FileDigest[]> {
  const info = await stat(path).catch((e: NodeJS.ErrnoException) => {
    throw new DigestError(e.code === 'ENOENT' ? `model path not found: ${path}` : `cannot read the model path ${path}: ${e.message}`);
  });
  if (info.isFile()) {
    const d = await digestFile(path);
    return [{ name: basename(path), ...d }];
  }
  if (!info.isDirectory()) throw new DigestError(`the model path ${path} is neither a file nor a folder`);
  const root = await realpath(path);
  const files = (await listFiles(root)).sort((a, b) => cmp(a[0], b[0]));
  if (files.length === 0) throw new DigestError(`the model folder ${path} holds no files`);
  const out: FileDigest[] = new Array(files.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    const buffer = Buffer.allocUnsafe(CHUNK);
    while (next < files.length) {
      const i = next++;
      const [name, file] = files[i];
      out[i] = { name, ...(await digestFile(file, buffer)) };
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, files.length) }, worker));
  return out;
}
