/**
 * AWS credentials: access key IDs (`AKIA`/`ABIA`/`ACCA` long-term, `ASIA` temporary, + 16 base32 characters),
 * and secret access keys (40 base64 characters) assigned to an AWS secret name (`aws_secret_access_key`,
 * `SecretAccessKey`, `AWS_SECRET_KEY` ...). The documentation examples (…EXAMPLE, …EXAMPLEKEY) are ignored.
 */
import type { Detector, SecretMatch } from '../types';
import { bareValuesAreLiterals, findAssignments } from './_assign';
import { BASE62, BASE64, isIn, runForward } from './_boundaries';
import { keywords } from './_keywords';
import { rotateAnd, secretRule } from './_meta';
import { classCount, isCredentialLiteral, shannonEntropy } from './_values';

const REFS = [{ title: 'Manage access keys for IAM users', url: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html' }];

const KEY_ID = secretRule(
  'SEC-AWS-001',
  'AWS access key ID',
  'high',
  'An access key ID is half of an AWS credential; where it is committed the secret key usually is too, or was.',
  rotateAnd('access key', 'Deactivate and delete it in IAM, then use roles (OIDC federation from the pipeline, instance/task roles) instead of long-term keys.'),
  REFS,
  ['aws'],
);

const SECRET = secretRule(
  'SEC-AWS-002',
  'AWS secret access key',
  'critical',
  'A secret access key signs AWS API requests as its IAM user with every permission the user has.',
  rotateAnd('access key', 'Deactivate and delete the key pair in IAM and move to role-based, short-lived credentials.'),
  REFS,
  ['aws'],
);

const ID_PREFIXES: Array<[string, boolean]> = [['AKIA', false], ['ABIA', false], ['ACCA', false], ['ASIA', true]];
const BASE32_UPPER = (() => {
  const t = new Uint8Array(128);
  for (const ch of 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567') t[ch.charCodeAt(0)] = 1;
  return t;
})();
/** Lower-case name parts that make an assignment an AWS secret key. */
export const AWS_SECRET_NAME_PARTS = ['secretaccesskey', 'awssecretkey', 'awssecret'];
const SECRET_WORDS = keywords(['secret_access_key', 'secretaccesskey', 'aws_secret', 'awssecret']);

export const awsDetector: Detector = {
  meta: KEY_ID,
  variants: [SECRET],
  anchors: ['AKIA', 'ABIA', 'ACCA', 'ASIA', 'secret_access_key', 'secretaccesskey', 'aws_secret'],
  caseInsensitiveAnchors: true,
  patterns: [],
  scan(text, ctx): SecretMatch[] {
    const out: SecretMatch[] = [];
    for (const [prefix, temporary] of ID_PREFIXES) {
      for (let at = text.indexOf(prefix); at !== -1; at = text.indexOf(prefix, at + 4)) {
        if (isIn(text, at - 1, BASE62) || runForward(text, at + 4, BASE32_UPPER, 17) !== 16 || isIn(text, at + 20, BASE62)) continue;
        const id = text.slice(at, at + 20);
        if (id.includes('EXAMPLE') || new Set(id.slice(4)).size < 6) continue;
        out.push({
          start: at,
          end: at + 20,
          ruleId: KEY_ID.id,
          ...(temporary ? { severity: 'medium' as const } : {}),
          confidence: 'context',
          message: temporary ? 'AWS temporary (STS) access key ID.' : 'AWS access key ID (long-term key).',
        });
      }
    }
    const bare = bareValuesAreLiterals(ctx.path);
    for (const a of findAssignments(text, SECRET_WORDS, (x) => AWS_SECRET_NAME_PARTS.some((p) => x.key.includes(p)))) {
      if (!a.quoted && !bare) continue;
      const v = text.slice(a.valueStart, a.valueEnd);
      if (v.length !== 40 || runForward(v, 0, BASE64, 41) !== 40 || !isCredentialLiteral(v, 40)) continue;
      if (classCount(v) < 3 || shannonEntropy(v) < 4) continue;
      out.push({ start: a.valueStart, end: a.valueEnd, ruleId: SECRET.id, confidence: 'context', message: `AWS secret access key assigned to "${a.name}".` });
    }
    return out.sort((x, y) => x.start - y.start);
  },
};
