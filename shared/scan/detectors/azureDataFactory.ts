/**
 * Azure Data Factory / Synapse self-hosted integration runtime authentication keys:
 * `IR@<guid>@<factory>@<region>@<44-char base64>`. Anyone holding one can register a node to the runtime and
 * receive the credentials of the linked services it runs.
 */
import type { Detector, SecretMatch } from '../types';
import { BASE64, HEX, isIn, runForward, IDENT } from './_boundaries';
import { rotateAnd, secretRule } from './_meta';
import { isPlaceholder } from './_values';

const META = secretRule(
  'SEC-AZ-ADF-001',
  'Azure Data Factory self-hosted integration runtime key',
  'high',
  'An integration runtime key registers a machine as a node of the runtime, which then executes copy activities with the linked services\' credentials.',
  rotateAnd('authentication key', 'Regenerate both runtime keys in Data Factory (Integration runtimes > Regenerate key) and register nodes from a secured deployment, not from a file in source control.'),
  [{ title: 'Create and configure a self-hosted integration runtime', url: 'https://learn.microsoft.com/azure/data-factory/create-self-hosted-integration-runtime' }],
  ['azure', 'data-factory'],
);

/** Length of a field of printable non-'@' characters starting at `i` (at most `max`). */
function field(text: string, i: number, max: number): number {
  let n = 0;
  while (n < max && i + n < text.length) {
    const c = text.charCodeAt(i + n);
    if (c === 64 /* @ */ || c <= 32 || c === 34 || c === 39) break;
    n++;
  }
  return n;
}

export const azureDataFactoryDetector: Detector = {
  meta: META,
  anchors: ['IR@'],
  patterns: [],
  scan(text): SecretMatch[] {
    const out: SecretMatch[] = [];
    for (let at = text.indexOf('IR@'); at !== -1; at = text.indexOf('IR@', at + 3)) {
      if (isIn(text, at - 1, IDENT)) continue;
      let i = at + 3;
      // GUID: 36 hex-or-dash characters.
      let g = 0;
      while (g < 36 && (isIn(text, i + g, HEX) || text.charCodeAt(i + g) === 45)) g++;
      if (g !== 36 || text[i + 36] !== '@') continue;
      i += 37;
      const name = field(text, i, 128);
      if (name === 0 || text[i + name] !== '@') continue;
      i += name + 1;
      const region = field(text, i, 64);
      if (region === 0 || text[i + region] !== '@') continue;
      i += region + 1;
      const key = runForward(text, i, BASE64, 45);
      if (key !== 43 || text[i + 43] !== '=') continue;
      const end = i + 44;
      if (isPlaceholder(text.slice(i, end - 1))) continue;
      out.push({ start: at, end, ruleId: META.id, confidence: 'context', message: 'Azure Data Factory self-hosted integration runtime authentication key.' });
    }
    return out;
  },
};
