/**
 * Pickle files (.pkl, .pickle, .joblib, …): whole-file gzip/zlib (joblib compress=, pandas) is inflated first; a
 * zip handed over under a pickle name (torch.save to model.pkl) is read as an archive.
 */
import type { ModelAnalyzer } from '../types';
import { IssueSink, LIMITS, safely } from './_issues';
import { scanArchivePickles } from './_archive';
import { decompress, detectCompression } from './_compression';
import { looksLikePickle, scanPickleStream } from './_pickleScan';
import { ARCHIVE_MALFORMED, PICKLE_DANGEROUS, PICKLE_MALFORMED, PICKLE_UNLISTED, PICKLE_UNRESOLVED, SCAN_LIMIT } from './_rules';
import { looksLikeZip } from './_zip';

export const pickleAnalyzer: ModelAnalyzer = {
  rules: [PICKLE_DANGEROUS, PICKLE_UNLISTED, PICKLE_UNRESOLVED, PICKLE_MALFORMED, ARCHIVE_MALFORMED, SCAN_LIMIT],
  extensions: ['.pkl', '.pickle', '.joblib', '.dill', '.pkl.gz', '.pickle.gz', '.joblib.gz', '.joblib.z'],
  sniff: looksLikePickle,
  analyze(bytes) {
    const sink = new IssueSink();
    return safely(sink, PICKLE_MALFORMED.id, () => {
      if (bytes.length === 0) {
        sink.add({ ruleId: PICKLE_MALFORMED.id, message: 'Pickle file is empty.', key: 'empty' });
        return;
      }
      if (looksLikeZip(bytes)) {
        scanArchivePickles(bytes, sink, 0);
        return;
      }
      const compression = detectCompression(bytes);
      if (!compression) {
        scanPickleStream(bytes, 0, { sink, depth: 0 });
        return;
      }
      const r = decompress(bytes, compression, Math.min(LIMITS.maxInflatedMember, sink.budget.inflated));
      if (!r.ok) {
        if (r.kind === 'malformed') sink.add({ ruleId: PICKLE_MALFORMED.id, message: `Compressed pickle cannot be read: ${r.error}.`, key: 'compression' });
        else sink.limit(`the whole pickle (${r.error})`, 'compression', 'medium');
        return;
      }
      sink.budget.inflated -= r.data.length;
      scanPickleStream(r.data, 0, { sink, member: `the ${compression}-decompressed content`, depth: 0 });
    });
  },
};
