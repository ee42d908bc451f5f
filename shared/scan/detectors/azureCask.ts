/**
 * Azure CASK / HIS v2 keys (84 base62 characters, "JQQJ" at offset 52, provider signature at 76): new Azure
 * DevOps PATs (AZDO), Azure AI services / Azure OpenAI / Cognitive Services keys (ACOG), and other providers.
 *
 * Decision: a key whose checksum verifies is critical. A key with the exact layout and a known provider
 * signature whose checksum does not verify is still reported, at medium, as "unverified": no public vector with
 * a valid checksum exists to prove our reading of the checksum against issued tokens, and the layout alone
 * (JQQJ at 52 and AZDO/ACOG at 76) does not occur by chance. Unknown providers need a valid checksum.
 */
import type { Detector, SecretMatch } from '../types';
import { caskChecksumValid, caskProvider, caskWindow, CASK_CORE_SIGNATURE } from './_cask';
import { MS_SECURITY_UTILITIES, rotateAnd, secretRule } from './_meta';

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Service named by the 4th provider-data character of an ACOG key (AzureCognitiveService in security-utilities). */
const COGNITIVE_SERVICES = [
  'Azure AI services (multi-service)', 'Azure OpenAI', 'Anomaly Detector (EE)', 'Anomaly Detector', 'Cognitive Services',
  'Computer Vision', 'Content Moderator', 'Content Safety', 'Custom Vision prediction', 'Custom Vision training', 'Face',
  'Form Recognizer / Document Intelligence', 'Health Decision Support', 'Health Insights', 'Immersive Reader',
  'AI services (internal all-in-one)', 'Knowledge', 'LUIS authoring', 'LUIS', 'Metrics Advisor', 'Personalizer',
  'QnA Maker', 'QnA Maker v2', 'Speaker Recognition', 'Speech', 'Speech Translation', 'Text Analytics / Language',
  'Translator', 'test (dummy)', 'Transcription Intelligence', 'Video Intelligence', 'Bing Autosuggest',
  'Bing Autosuggest v7', 'Bing Custom Search', 'Bing Custom Visual Search', 'Bing Entity Search', 'Bing Search',
  'Bing Search v7', 'Bing Speech', 'Bing Spell Check', 'Bing Spell Check v7',
];

const OTHER_PROVIDERS: Record<string, string> = {
  AZEG: 'Azure Event Grid access key',
  AZAC: 'Azure App Configuration access key',
  AZFR: 'Azure Fluid Relay key',
  AZMR: 'Azure Mixed Reality account key',
  AZMP: 'Azure Maps key',
  AZCS: 'Azure Communication Services access key',
  msql: 'Azure SQL private key',
  MSQL: 'Azure SQL private key',
};

const DEVOPS = secretRule(
  'SEC-AZ-DEVOPS-001',
  'Azure DevOps personal access token (84-character format)',
  'critical',
  'A PAT acts as its owner in Azure DevOps within its scopes: read or push code, queue pipelines, read secrets of variable groups.',
  rotateAnd('token', 'Revoke it under User settings > Personal access tokens; in pipelines use $(System.AccessToken), a service connection with workload identity federation, or a managed identity.'),
  [
    { title: 'Use personal access tokens (Azure DevOps)', url: 'https://learn.microsoft.com/azure/devops/organizations/accounts/use-personal-access-tokens-to-authenticate' },
    MS_SECURITY_UTILITIES,
  ],
  ['azure', 'azure-devops'],
);

const COGNITIVE = secretRule(
  'SEC-AZ-COGNITIVE-001',
  'Azure AI services / Azure OpenAI key (84-character format)',
  'critical',
  'An Azure AI services or Azure OpenAI key calls the models and data of the resource, billed to its owner, outside Entra ID.',
  rotateAnd('key', 'Regenerate it on the resource (Keys and Endpoint), call the service with Entra ID (DefaultAzureCredential, Cognitive Services User role) and set disableLocalAuth: true.'),
  [{ title: 'Authenticate requests to Azure AI services', url: 'https://learn.microsoft.com/azure/ai-services/authentication' }, MS_SECURITY_UTILITIES],
  ['azure', 'openai', 'ai-services'],
);

const OTHER = secretRule(
  'SEC-AZ-CASK-001',
  'Azure common annotated security key (84-character format, checksum verified)',
  'critical',
  'A key in Microsoft\'s common annotated format, with a valid checksum, was issued by an Azure service and grants access to it.',
  rotateAnd('key', 'Regenerate it in the owning service and switch its callers to Entra ID / managed identity.'),
  [MS_SECURITY_UTILITIES],
  ['azure'],
);

export const azureCaskDetector: Detector = {
  meta: OTHER,
  variants: [DEVOPS, COGNITIVE],
  anchors: [CASK_CORE_SIGNATURE],
  patterns: [],
  scan(text): SecretMatch[] {
    const out: SecretMatch[] = [];
    for (let at = text.indexOf(CASK_CORE_SIGNATURE); at !== -1; at = text.indexOf(CASK_CORE_SIGNATURE, at + 1)) {
      const w = caskWindow(text, at);
      if (!w) continue;
      const key = text.slice(w.start, w.end);
      const valid = caskChecksumValid(key);
      const { signature, data } = caskProvider(key);
      let ruleId: string;
      let what: string;
      if (signature === 'AZDO') {
        ruleId = DEVOPS.id;
        what = 'Azure DevOps personal access token';
      } else if (signature === 'ACOG') {
        ruleId = COGNITIVE.id;
        const service = data.startsWith('AAA') ? COGNITIVE_SERVICES[B64.indexOf(data[3])] : undefined;
        what = `${service ?? 'Azure AI services'} key`;
      } else {
        ruleId = OTHER.id;
        what = OTHER_PROVIDERS[signature] ?? `Azure key (provider signature ${signature})`;
        if (!valid) continue;
      }
      out.push({
        start: w.start,
        end: w.end,
        ruleId,
        ...(valid ? {} : { severity: 'medium' as const }),
        confidence: valid ? 'verified' : 'context',
        message: valid
          ? `${what} (common annotated key format, checksum valid).`
          : `${what} layout (JQQJ at 52, ${signature} at 76) but its checksum does not verify: an altered or test value, or a format revision.`,
      });
      at = w.end - 1;
    }
    return out;
  },
};
