/**
 * Azure Databricks personal access tokens: "dapi" + 32 lower-case hex, optionally "-<n>". A fixed prefix and
 * exact length, no checksum: reported on shape, without context.
 */
import type { Detector, SecretMatch } from '../types';
import { DIGITS, HEX_LOWER, IDENT, isIn, runForward } from './_boundaries';
import { rotateAnd, secretRule } from './_meta';
import { isPlaceholder } from './_values';

const META = secretRule(
  'SEC-AZ-DATABRICKS-001',
  'Azure Databricks personal access token',
  'high',
  'A Databricks PAT calls the workspace REST API as its owner: runs jobs and notebooks, reads tables and secret scopes the user can read.',
  rotateAnd('token', 'Revoke it under User Settings > Developer > Access tokens; use Entra ID tokens of a service principal or managed identity (OAuth M2M) for automation.'),
  [{ title: 'Azure Databricks personal access token authentication', url: 'https://learn.microsoft.com/azure/databricks/dev-tools/auth/pat' }],
  ['azure', 'databricks'],
);

export const azureDatabricksDetector: Detector = {
  meta: META,
  anchors: ['dapi'],
  patterns: [],
  scan(text): SecretMatch[] {
    const out: SecretMatch[] = [];
    for (let at = text.indexOf('dapi'); at !== -1; at = text.indexOf('dapi', at + 4)) {
      if (isIn(text, at - 1, IDENT)) continue;
      const hex = runForward(text, at + 4, HEX_LOWER, 33);
      if (hex !== 32) continue;
      let end = at + 36;
      if (text.charCodeAt(end) === 45 /* - */) {
        const digits = runForward(text, end + 1, DIGITS, 3);
        if (digits > 0 && digits < 3) end += 1 + digits;
      }
      if (isIn(text, end, IDENT)) continue;
      if (isPlaceholder(text.slice(at + 4, at + 36))) continue;
      out.push({ start: at, end, ruleId: META.id, confidence: 'context', message: 'Azure Databricks personal access token (dapi prefix).' });
    }
    return out;
  },
};
