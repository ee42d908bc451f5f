/**
 * Stand-in plugins for the scanner-core tests, so the core is tested on its own terms: a checksummed token
 * (verified), a password assignment (context), a look-alike of the token (heuristic, to test deduplication),
 * a model analyzer for `.pkl` and a text handler. Secret-shaped values are made at run time by `makeToken`.
 * Exported as `detectors`, `analyzers`, `textHandlers` so that scan workers can load the same objects.
 */
import { randomBytes } from 'node:crypto';
import { isMainThread } from 'node:worker_threads';
import type { RuleMeta } from '../../../../shared/rules/types';
import type { TextHandler } from '../../../../shared/scan/options';
import type { Detector, ModelAnalyzer, SecretMatch } from '../../../../shared/scan/types';

const ref = [{ title: 'test', url: 'https://example.invalid/test' }];
const meta = (id: string, title: string, severity: RuleMeta['severity']): RuleMeta => ({
  id,
  title,
  severity,
  rationale: `${title} rationale.`,
  remediation: `${title} remediation.`,
  references: ref,
  tags: ['secret'],
});

const B62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Two base62 check characters over the body: the "checksum" of the test token. */
function check(body: string): string {
  let h = 7;
  for (const c of body) h = (h * 31 + c.charCodeAt(0)) % (62 * 62);
  return B62[Math.floor(h / 62)] + B62[h % 62];
}

/** A fresh test token: `tk_` + 22 random base62 characters + 2 check characters. */
export function makeToken(): string {
  const body = Array.from(randomBytes(22), (b) => B62[b % 62]).join('');
  return `tk_${body}${check(body)}`;
}

/** A token whose check characters are wrong: a look-alike. */
export function makeBadToken(): string {
  const t = makeToken();
  const last = t[t.length - 1] === 'A' ? 'B' : 'A';
  return t.slice(0, -1) + last;
}

const TOKEN = /tk_([A-Za-z0-9]{22})([A-Za-z0-9]{2})(?![A-Za-z0-9])/g;
const PASSWORD = /password[ \t]{0,8}[=:][ \t]{0,8}["']?([^\s"']{8,64})/gi;

export const tokenDetector: Detector = {
  meta: meta('SEC-TEST-001', 'Test token', 'critical'),
  anchors: ['tk_'],
  patterns: [TOKEN],
  scan(text) {
    const out: SecretMatch[] = [];
    for (const m of text.matchAll(TOKEN)) {
      if (check(m[1]) !== m[2]) continue;
      out.push({ start: m.index!, end: m.index! + m[0].length, ruleId: 'SEC-TEST-001', confidence: 'verified', message: 'Test token (checksum valid)' });
    }
    return out;
  },
};

export const passwordDetector: Detector = {
  meta: meta('SEC-TEST-002', 'Password assignment', 'high'),
  variants: [meta('SEC-TEST-002B', 'Password assignment in a notebook', 'medium')],
  anchors: ['password'],
  caseInsensitiveAnchors: true,
  patterns: [PASSWORD],
  scan(text, ctx) {
    const out: SecretMatch[] = [];
    for (const m of text.matchAll(PASSWORD)) {
      const start = m.index! + m[0].length - m[1].length;
      const ruleId = ctx.path.endsWith('.ipynb') ? 'SEC-TEST-002B' : 'SEC-TEST-002';
      out.push({ start, end: start + m[1].length, ruleId, confidence: 'context', message: 'Password assigned in code' });
    }
    return out;
  },
};

/** Sees every `tk_` run, checksum or not, with low confidence: overlaps tokenDetector on real tokens. */
export const lookalikeDetector: Detector = {
  meta: meta('SEC-TEST-003', 'Token look-alike', 'low'),
  anchors: ['tk_'],
  patterns: [TOKEN],
  scan(text) {
    return [...text.matchAll(TOKEN)].map((m) => ({ start: m.index!, end: m.index! + m[0].length, ruleId: 'SEC-TEST-003', confidence: 'heuristic' as const, message: 'Token-shaped text' }));
  },
};

/** Throws on a marker, to prove one failing detector does not stop the others. */
export const throwingDetector: Detector = {
  meta: meta('SEC-TEST-004', 'Throwing detector', 'low'),
  anchors: ['BOOM!'],
  patterns: [],
  scan() {
    throw new Error('detector bug');
  },
};

/** Kills the scan worker it runs in (never the main thread): the pool must survive and name the file. */
export const crashDetector: Detector = {
  meta: meta('SEC-TEST-005', 'Worker crasher', 'low'),
  anchors: ['CRASH-THE-WORKER'],
  patterns: [],
  scan() {
    if (!isMainThread) process.exit(3);
    return [];
  },
};

export const pickleAnalyzer: ModelAnalyzer = {
  rules: [meta('AML-MODEL-TEST-001', 'Pickle imports os.system', 'critical'), meta('AML-MODEL-TEST-002', 'Malformed test model', 'low')],
  extensions: ['.pkl'],
  sniff: (head) => head[0] === 0x80 && head[1] === 0x7f, // our own made-up magic, for the sniffing test
  analyze(bytes) {
    if (bytes.length < 2) return [{ ruleId: 'AML-MODEL-TEST-002', message: 'too short', key: 'short' }];
    const at = bytes.indexOf('os\nsystem');
    return at >= 0 ? [{ ruleId: 'AML-MODEL-TEST-001', message: 'imports os.system', byteOffset: at, key: 'os.system' }] : [];
  },
};

export const templateHandler: TextHandler = {
  id: 'test-template',
  rules: [meta('AML-TEST-TPL-001', 'Template opens the workspace', 'high')],
  extensions: ['.json'],
  applies: (_path, text) => text.includes('"$schema"'),
  scan(path, text) {
    if (text.includes('"explode"')) throw new Error('handler bug');
    // Recursion over the parsed document, as a naive evaluator would: deep nesting overflows the stack.
    const depth = (v: unknown): number => (Array.isArray(v) ? 1 + Math.max(0, ...v.map(depth)) : 0);
    depth(JSON.parse(text).nested);
    const line = text.slice(0, text.indexOf('"publicNetworkAccess"')).split('\n').length;
    if (!text.includes('"publicNetworkAccess": "Enabled"')) return { findings: [], warnings: [] };
    return {
      findings: [
        {
          ruleId: 'AML-TEST-TPL-001',
          title: 'Template opens the workspace',
          severity: 'high',
          resourceKind: 'file',
          resourceId: path,
          message: 'publicNetworkAccess is Enabled',
          location: { file: path, line, column: 1 },
          fingerprint: `tpl-${path}`,
        },
      ],
      warnings: [],
    };
  },
};

export const detectors: Detector[] = [tokenDetector, passwordDetector, lookalikeDetector, throwingDetector, crashDetector];
export const analyzers: ModelAnalyzer[] = [pickleAnalyzer];
export const textHandlers: TextHandler[] = [templateHandler];
