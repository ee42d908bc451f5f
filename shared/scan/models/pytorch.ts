/**
 * PyTorch checkpoints: the zip format (torch.save since 1.6: `<name>/data.pkl` plus raw storages, TorchScript adds
 * constants.pkl) and the legacy format, a sequence of pickles followed by raw storage bytes.
 *
 * `.bin` and `.ckpt` are also used by other tools (ONNX external data, TensorFlow), so a file under those names that
 * is neither a zip nor a pickle is left alone; only `.pt`/`.pth` are reported as malformed then.
 */
import type { ModelAnalyzer } from '../types';
import { IssueSink, safely } from './_issues';
import { scanArchivePickles } from './_archive';
import { looksLikePickle, scanPickleStream } from './_pickleScan';
import { ARCHIVE_MALFORMED, PICKLE_DANGEROUS, PICKLE_MALFORMED, PICKLE_UNLISTED, PICKLE_UNRESOLVED, SCAN_LIMIT, TORCH_MALFORMED } from './_rules';
import { looksLikeZip } from './_zip';

const STRICT = ['.pt', '.pth'];

/** A zip whose first member is `<archive>/data.pkl` or `<archive>/.data/…`, as torch.save writes it. */
function looksLikeTorchZip(head: Buffer): boolean {
  if (!looksLikeZip(head) || head.length < 30) return false;
  const nameLen = head.readUInt16LE(26);
  const name = head.toString('latin1', 30, Math.min(head.length, 30 + nameLen));
  return /\/(?:data\.pkl|\.data\/|version$|byteorder$)/.test(name);
}

export const pytorchAnalyzer: ModelAnalyzer = {
  rules: [PICKLE_DANGEROUS, PICKLE_UNLISTED, PICKLE_UNRESOLVED, PICKLE_MALFORMED, ARCHIVE_MALFORMED, SCAN_LIMIT, TORCH_MALFORMED],
  extensions: ['.pt', '.pth', '.bin', '.ckpt'],
  sniff: looksLikeTorchZip,
  analyze(bytes, ctx) {
    const sink = new IssueSink();
    return safely(sink, TORCH_MALFORMED.id, () => {
      if (looksLikeZip(bytes)) {
        scanArchivePickles(bytes, sink, 0);
        return;
      }
      const lower = ctx.path.toLowerCase();
      const strict = STRICT.some((ext) => lower.endsWith(ext));
      // Under a .pt/.pth name any PROTO opening is taken for a pickle; under .bin/.ckpt only a plausible one.
      if (looksLikePickle(bytes) || (strict && bytes.length > 0 && bytes[0] === 0x80)) {
        scanPickleStream(bytes, 0, { sink, depth: 0 });
        return;
      }
      if (!strict) return;
      const tar = bytes.length >= 262 && bytes.toString('latin1', 257, 262) === 'ustar';
      sink.add({
        ruleId: TORCH_MALFORMED.id,
        message: tar ? 'PyTorch file is a legacy tar checkpoint, which the scan does not analyse.' : 'PyTorch file is neither a zip checkpoint nor a pickle.',
        key: tar ? 'tar' : 'format',
      });
    });
  },
};
