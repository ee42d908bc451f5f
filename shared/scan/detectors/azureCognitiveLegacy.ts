/**
 * Azure AI services / Azure OpenAI / Cognitive Services keys of the legacy form: 32 lower-case hex characters,
 * indistinguishable from an MD5 or a GUID without dashes except by context. Reported only on the line of a key
 * name that belongs to these services (`Ocp-Apim-Subscription-Key`, `api-key`, `AZURE_OPENAI_API_KEY`,
 * `speech_key` ...) or, for generic names (`api_key`, `key`), when the file names an Azure AI endpoint host.
 */
import type { Detector, SecretMatch } from '../types';
import { HEX_LOWER, IDENT, isIn, lineEnd, lineStart, runForward } from './_boundaries';
import { keywords } from './_keywords';
import { rotateAnd, secretRule } from './_meta';
import { isPlaceholder } from './_values';

const META = secretRule(
  'SEC-AZ-COGNITIVE-002',
  'Azure AI services / Azure OpenAI key (legacy 32-hex form, found by context)',
  'high',
  'A key of an Azure AI services, Azure OpenAI or Cognitive Services resource calls its models and data, billed to the owner, outside Entra ID.',
  rotateAnd('key', 'Regenerate Key 1/Key 2 on the resource, call the service with Entra ID (Cognitive Services User role) and set disableLocalAuth: true.'),
  [{ title: 'Authenticate requests to Azure AI services', url: 'https://learn.microsoft.com/azure/ai-services/authentication' }],
  ['azure', 'openai', 'ai-services'],
);

/** Key names specific to these services: a 32-hex value on their line is a key. */
const KEY_NAMES = [
  'ocp-apim-subscription-key', 'azure_openai_api_key', 'azure_openai_key', 'azure-openai-key', 'azureopenaikey', 'openai_api_key',
  'api-key', 'subscription_key', 'subscriptionkey', 'speech_key', 'speechkey', 'cognitive_service_key', 'cognitiveservicekey',
  'cognitive_services_key', 'translator_key', 'form_recognizer_key', 'document_intelligence_key', 'azure_ai_key', 'ai_services_key', 'language_key', 'vision_key',
];
/** Endpoint hosts: with one in the file, generic key names count too. */
const HOSTS = ['openai.azure.com', 'cognitiveservices.azure.com', 'api.cognitive.microsoft.com', 'services.ai.azure.com'];
const GENERIC_NAMES = ['api_key', 'apikey', 'key='];
const SPECIFIC = keywords(KEY_NAMES);
const WITH_GENERIC = keywords([...KEY_NAMES, ...GENERIC_NAMES]);
const HOST = keywords(HOSTS);

/** Every bounded 32-hex run in text[from, to). */
function hexKeys(text: string, from: number, to: number): number[] {
  const out: number[] = [];
  let i = from;
  while (i < to) {
    if (isIn(text, i, HEX_LOWER) && !isIn(text, i - 1, IDENT)) {
      const n = runForward(text, i, HEX_LOWER, 33);
      if (n === 32 && !isIn(text, i + 32, IDENT)) out.push(i);
      i += Math.max(n, 1);
    } else i++;
  }
  return out;
}

export const azureCognitiveLegacyDetector: Detector = {
  meta: META,
  anchors: KEY_NAMES.concat(HOSTS),
  caseInsensitiveAnchors: true,
  patterns: [],
  scan(text): SecretMatch[] {
    const names = HOST.any(text) ? WITH_GENERIC : SPECIFIC;
    const found = new Map<number, string>();
    names.each(text, (at, name) => {
      // A key name inside a longer identifier ("my_api_key_name") still counts; the value must be on its line.
      const from = lineStart(text, at, 120);
      const to = lineEnd(text, at + name.length, 200);
      for (const k of hexKeys(text, from, to)) {
        if (found.has(k) || isPlaceholder(text.slice(k, k + 32))) continue;
        found.set(k, name);
      }
    });
    return [...found.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([start, name]) => ({
        start,
        end: start + 32,
        ruleId: META.id,
        confidence: 'context' as const,
        message: `Azure AI services / Azure OpenAI key (32-hex legacy form) next to "${name.replace('=', '')}".`,
      }));
  },
};
