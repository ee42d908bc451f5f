/**
 * What a file is, from its name and first bytes: a model for an analyzer, a notebook, text (UTF-8 or
 * UTF-16 with a BOM), or a binary to skip. Pure.
 */
import type { ModelAnalyzer } from './types';

/** Formats that are never text worth scanning. Model formats are not here: analyzers claim them first. */
const BINARY_EXTENSIONS = new Set(
  [
    // images, audio, video, fonts
    'png', 'jpg', 'jpeg', 'gif', 'bmp', 'ico', 'icns', 'tif', 'tiff', 'webp', 'avif', 'heic', 'psd',
    'mp3', 'wav', 'flac', 'ogg', 'm4a', 'aac', 'mp4', 'mkv', 'mov', 'avi', 'webm', 'wmv',
    'ttf', 'otf', 'woff', 'woff2', 'eot',
    // archives and packages
    'zip', 'gz', 'tgz', 'bz2', 'xz', 'zst', '7z', 'rar', 'tar', 'jar', 'war', 'whl', 'egg', 'nupkg', 'vsix', 'deb', 'rpm', 'apk', 'dmg', 'iso',
    // compiled code and objects
    'exe', 'dll', 'so', 'dylib', 'a', 'lib', 'o', 'obj', 'class', 'pyc', 'pyo', 'pyd', 'wasm', 'node',
    // documents and data containers
    'pdf', 'doc', 'docx', 'xls', 'xlsx', 'ppt', 'pptx', 'odt', 'ods', 'parquet', 'avro', 'orc', 'feather', 'arrow', 'tfrecord', 'sqlite', 'db', 'mdb',
  ].map((e) => `.${e}`),
);

export function extensionOf(path: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot) : '';
}

export function isKnownBinaryExtension(path: string): boolean {
  return BINARY_EXTENSIONS.has(extensionOf(path));
}

export function hasNul(head: Uint8Array): boolean {
  return head.indexOf(0) >= 0;
}

/** 'utf16le' / 'utf16be' when the file starts with a UTF-16 byte order mark. */
export function utf16Bom(head: Uint8Array): 'utf16le' | 'utf16be' | undefined {
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) return 'utf16le';
  if (head.length >= 2 && head[0] === 0xfe && head[1] === 0xff) return 'utf16be';
  return undefined;
}

/** The analyzers that claim a file: by name ending, or by sniffing the first bytes of a binary-looking file. */
export function analyzersFor(path: string, head: Uint8Array, analyzers: readonly ModelAnalyzer[], warn: (m: string) => void): ModelAnalyzer[] {
  const lower = path.toLowerCase();
  const binary = hasNul(head) || isKnownBinaryExtension(path);
  return analyzers.filter((a) => {
    if (a.extensions.some((e) => lower.endsWith(e))) return true;
    if (!binary || !a.sniff) return false;
    try {
      return a.sniff(Buffer.from(head.buffer, head.byteOffset, head.length));
    } catch (err) {
      warn(`${path}: model analyzer ${a.rules[0]?.id ?? '?'} failed to sniff the file (${(err as Error)?.name ?? 'error'}); not analysed by it`);
      return false;
    }
  });
}

export function isNotebook(path: string): boolean {
  return extensionOf(path) === '.ipynb';
}
