/**
 * Pure: with verifyFileDigests off, the model's files as the signed evidence names them, read from nothing but
 * the blob listing and the source version's tags. The `mlops-gates.model-digest` tag picks the evidence that
 * judged exactly these files; its subjects give each file's sha256 (as signed, not recomputed), and the listing
 * must hold exactly the subjects' names. Subjects carry no size, so sizes are listed but cannot be compared.
 *
 * Envelopes are parsed here without trusting them: only their subject lists are looked at, and verifyBundle
 * still checks every signature, gate and age, and compares every verified envelope's subjects with these files.
 */
import type { EvidenceBundle } from '../../evidence/bundle';
import { envelopeBody } from '../../evidence/dsse';
import { modelDigest, parseStatement, type Subject } from '../../evidence/statement';
import { MODEL_DIGEST_TAG } from '../../evidence/tags';
import type { VerifyFailure } from '../../evidence/verify';

/** A blob as listed: its name under the model folder and its size from the blob's properties. */
export interface ListedFile {
  name: string;
  size: number;
}

export interface ClaimedFiles {
  /**
   * The files as the evidence signed them (name, sha256), sizes from the listing (0 when not listed); undefined
   * when no evidence matches the tag: then there is nothing to compare the evidence with.
   */
  files?: Array<{ name: string; sha256: string; size: number }>;
  /** The model digest the source version's tag states. */
  tagDigest?: string;
  /** Why the promotion must be refused (tag and names); empty when the names and the tag agree with the evidence. */
  failures: Array<Pick<VerifyFailure, 'code' | 'message'>>;
}

function subjectsOf(bundle: EvidenceBundle): Subject[][] {
  const out: Subject[][] = [];
  for (const env of bundle.envelopes) {
    try {
      out.push(parseStatement(envelopeBody(env)).subject);
    } catch {
      // An envelope that does not parse is reported by verifyBundle.
    }
  }
  return out;
}

/**
 * `src` names the source version in messages. `bundle` undefined: it did not parse (verifyBundle says why).
 */
export function claimedFiles(listed: readonly ListedFile[], tags: Readonly<Record<string, string>>, bundle: EvidenceBundle | undefined, src: string): ClaimedFiles {
  const tag = tags[MODEL_DIGEST_TAG];
  if (!tag) {
    return {
      failures: [{
        code: 'tag-mismatch',
        message: `${src} has no ${MODEL_DIGEST_TAG} tag: with verifyFileDigests off, that tag is what ties its files to the evidence. Tag the version with the gates' modelDigest output, or set verifyFileDigests: true to read the files`,
      }],
    };
  }
  if (!bundle) return { tagDigest: tag, failures: [] };
  const lists = subjectsOf(bundle);
  const subjects = lists.find((s) => modelDigest(s) === tag);
  if (!subjects) {
    const judged = [...new Set(lists.map((s) => modelDigest(s)))];
    return {
      tagDigest: tag,
      failures: [{
        code: 'tag-mismatch',
        message: `tag ${MODEL_DIGEST_TAG} of ${src} is ${tag}; the evidence judged model digest ${judged.length ? judged.join(', ') : '(none readable)'}: the files may have changed since the gates ran. Set verifyFileDigests: true to compare the files themselves`,
      }],
    };
  }
  const sizes = new Map(listed.map((f) => [f.name, f.size]));
  const signed = new Set(subjects.map((s) => s.name));
  const failures: ClaimedFiles['failures'] = [];
  for (const s of subjects) {
    if (!sizes.has(s.name)) failures.push({ code: 'missing-file', message: `${s.name}: signed in the evidence (sha256 ${s.digest.sha256}), not among the source files` });
  }
  for (const f of listed) {
    if (!signed.has(f.name)) failures.push({ code: 'extra-file', message: `${f.name}: among the source files (${f.size} bytes), not in the evidence` });
  }
  const files = subjects.map((s) => ({ name: s.name, sha256: s.digest.sha256, size: sizes.get(s.name) ?? 0 }));
  return { files, tagDigest: tag, failures };
}
