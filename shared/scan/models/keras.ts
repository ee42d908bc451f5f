/**
 * Keras models: the .keras zip (config.json) and HDF5 files (.h5/.hdf5, and a .keras that is really HDF5). For HDF5
 * there is no parser here: Keras stores the model config as a JSON string attribute in plain bytes, so the analyzer
 * finds balanced JSON objects that open like a Keras config and parses those. It cannot see a config stored in a
 * compressed or chunked attribute heap.
 */
import type { ModelAnalyzer } from '../types';
import { IssueSink, LIMITS, safely } from './_issues';
import { memberContent, openArchive } from './_archive';
import { findJsonObjects } from './_jsonSpan';
import { judgeKerasConfig } from './_kerasConfig';
import { ARCHIVE_MALFORMED, KERAS_BYTECODE, KERAS_CUSTOM_OBJECT, KERAS_LAMBDA_LAYER, KERAS_MALFORMED, SCAN_LIMIT } from './_rules';
import { looksLikeZip } from './_zip';

const HDF5_MAGIC = Buffer.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]);

/** HDF5 puts its signature at 0, or after a user block at 512, 1024, 2048, … */
function isHdf5(buf: Buffer): boolean {
  for (let off = 0; off + 8 <= buf.length && off <= 1 << 20; off = off === 0 ? 512 : off * 2) {
    if (buf.subarray(off, off + 8).equals(HDF5_MAGIC)) return true;
  }
  return false;
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

function scanKerasZip(buf: Buffer, sink: IssueSink): void {
  const entries = openArchive(buf, sink);
  if (!entries) return;
  const config = entries.find((e) => e.name === 'config.json');
  if (!config) {
    sink.add({ ruleId: KERAS_MALFORMED.id, message: 'Keras archive has no config.json.', key: 'config-missing' });
    return;
  }
  if (config.size > LIMITS.maxJson) {
    sink.limit(`config.json of ${config.size} bytes (over ${LIMITS.maxJson})`, 'config-size', 'medium');
    return;
  }
  const data = memberContent(buf, config, sink, true);
  if (!data) return;
  const parsed = parseJson(data.toString('utf8'));
  if (!parsed.ok) {
    sink.add({ ruleId: KERAS_MALFORMED.id, message: 'config.json of the Keras archive is not valid JSON.', key: 'config-json' });
    return;
  }
  judgeKerasConfig(parsed.value as never, sink, 'config.json');
}

function scanHdf5(buf: Buffer, sink: IssueSink): void {
  if (!isHdf5(buf)) {
    sink.add({ ruleId: KERAS_MALFORMED.id, severity: 'low', message: 'File has neither the HDF5 signature nor the zip layout of a Keras model.', key: 'format' });
    return;
  }
  const spans = findJsonObjects(buf, ['{"class_name"', '{"module"'], LIMITS.maxJson);
  let parsedAny = false;
  for (const s of spans) {
    const parsed = parseJson(buf.toString('utf8', s.start, s.end));
    if (!parsed.ok) continue;
    parsedAny = true;
    judgeKerasConfig(parsed.value as never, sink, `the HDF5 attribute JSON at byte ${s.start}`);
  }
  // Weights-only files hold no config: nothing to judge. A config that opens but never parses is worth a word.
  if (!parsedAny && buf.includes('"class_name"')) {
    sink.add({ ruleId: KERAS_MALFORMED.id, message: 'HDF5 file mentions a Keras config, but no complete JSON config was found in its bytes.', key: 'config-json' });
  }
}

export const kerasAnalyzer: ModelAnalyzer = {
  rules: [KERAS_LAMBDA_LAYER, KERAS_BYTECODE, KERAS_CUSTOM_OBJECT, KERAS_MALFORMED, ARCHIVE_MALFORMED, SCAN_LIMIT],
  extensions: ['.keras', '.h5', '.hdf5'],
  analyze(bytes) {
    const sink = new IssueSink();
    return safely(sink, KERAS_MALFORMED.id, () => {
      if (looksLikeZip(bytes)) scanKerasZip(bytes, sink);
      else scanHdf5(bytes, sink);
    });
  },
};
