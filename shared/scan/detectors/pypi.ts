/**
 * PyPI API tokens: `pypi-` + a base64url macaroon whose first bytes encode the issuer location, so every token
 * for pypi.org starts `pypi-AgEIcHlwaS5vcmc` and for test.pypi.org `pypi-AgENdGVzdC5weXBpLm9yZw`.
 */
import type { Detector, SecretMatch } from '../types';
import { BASE64URL, WORD } from './_boundaries';
import { rotateAnd, secretRule } from './_meta';
import { prefixedTokens } from './_prefixed';

const META = secretRule(
  'SEC-PYPI-001',
  'PyPI API token',
  'critical',
  'A PyPI token uploads releases of its projects: a supply-chain attack on everyone who installs them (model serving images included).',
  rotateAnd('token', 'Delete it under PyPI Account settings > API tokens and publish from CI with trusted publishing (OIDC) instead of tokens.'),
  [{ title: 'PyPI API tokens', url: 'https://pypi.org/help/#apitoken' }],
  ['pypi', 'supply-chain'],
);

const PYPI = 'pypi-AgEIcHlwaS5vcmc';
const TEST_PYPI = 'pypi-AgENdGVzdC5weXBpLm9yZw';

export const pypiDetector: Detector = {
  meta: META,
  anchors: [PYPI, TEST_PYPI],
  patterns: [],
  scan(text): SecretMatch[] {
    const out: SecretMatch[] = [];
    for (const [prefix, test] of [[PYPI, false], [TEST_PYPI, true]] as const) {
      for (const [start, end] of prefixedTokens(text, prefix, BASE64URL, 50, 400, WORD)) {
        out.push({
          start,
          end,
          ruleId: META.id,
          ...(test ? { severity: 'medium' as const } : {}),
          confidence: 'context',
          message: test ? 'TestPyPI API token.' : 'PyPI API token.',
        });
      }
    }
    return out.sort((a, b) => a.start - b.start);
  },
};
