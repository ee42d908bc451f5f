/**
 * Azure identifiable keys (HIS v1): storage, Cosmos DB, Batch, API Management, ML Studio (classic),
 * Service Bus, Event Hubs, Relay, Cache for Redis, IoT, Event Grid, Functions, Container Registry, AI Search.
 * One detector per product, anchored on its 4-character signature; a match needs the exact window and a
 * valid Marvin32 checksum under one of the product's seeds, so a look-alike with one character changed is
 * not reported at all (it is not a key this service issued).
 */
import type { Severity } from '../../rules/types';
import type { Detector, SecretMatch } from '../types';
import { hisV1VerifiedSeed, hisV1Window, redisReplacedCharsVerified, type HisV1Seed, type HisV1Shape } from './_identifiable';
import { seedFromAscii } from './_marvin';
import { MS_SECURITY_UTILITIES, rotateAnd, secretRule } from './_meta';

interface SeedSpec {
  name: string;
  label: string;
  severity?: Severity;
}

interface Product {
  id: string;
  product: string;
  signature: string;
  shape: HisV1Shape;
  seeds: SeedSpec[];
  severity: Severity;
  rationale: string;
  remediation: string;
  reference: { title: string; url: string };
  tags: string[];
  /** Redis only: also accept the base62 form with '+'/'/' replaced (see _identifiable.ts). */
  replacedChars?: boolean;
}

const B64_64: HisV1Shape = { bytes: 64, alphabet: 'base64' };
const B64_32: HisV1Shape = { bytes: 32, alphabet: 'base64' };
const MESSAGING_SEEDS: SeedSpec[] = [
  { name: 'Send0000', label: 'Send SAS key' },
  { name: 'Listen00', label: 'Listen SAS key' },
  { name: 'Manage00', label: 'Manage SAS key' },
  { name: 'System00', label: 'system SAS key' },
];

const PRODUCTS: Product[] = [
  {
    id: 'SEC-AZ-STORAGE-001',
    product: 'Azure Storage account',
    signature: '+ASt',
    shape: B64_64,
    seeds: [{ name: 'Default0', label: 'access key' }],
    severity: 'critical',
    rationale: 'A storage account key grants full control of every blob, file, queue and table in the account, bypassing Entra ID and RBAC.',
    remediation: rotateAnd('account key', 'Use a managed identity or Entra ID with RBAC, and disable Shared Key authorization on the account (allowSharedKeyAccess: false).'),
    reference: { title: 'Manage storage account access keys', url: 'https://learn.microsoft.com/azure/storage/common/storage-account-keys-manage' },
    tags: ['azure', 'storage'],
  },
  {
    id: 'SEC-AZ-COSMOS-001',
    product: 'Azure Cosmos DB',
    signature: 'ACDb',
    shape: B64_64,
    seeds: [
      { name: 'MastRW00', label: 'primary read-write key' },
      { name: 'MastRO00', label: 'read-only key', severity: 'high' },
      { name: 'SysAll00', label: 'system key' },
      { name: 'Resour00', label: 'resource token key' },
      { name: 'SystRO00', label: 'system read-only key', severity: 'high' },
      { name: 'Encryp00', label: 'data encryption key' },
      { name: 'SystRW00', label: 'system read-write key' },
    ],
    severity: 'critical',
    rationale: 'A Cosmos DB account key reads and writes every database and container of the account, outside Entra ID.',
    remediation: rotateAnd('account key', 'Use Entra ID data-plane RBAC with a managed identity and set disableLocalAuth: true on the account.'),
    reference: { title: 'Secure access to data in Azure Cosmos DB', url: 'https://learn.microsoft.com/azure/cosmos-db/secure-access-to-data' },
    tags: ['azure', 'cosmosdb'],
  },
  {
    id: 'SEC-AZ-BATCH-001',
    product: 'Azure Batch',
    signature: '+ABa',
    shape: B64_64,
    seeds: [{ name: 'AbAcct00', label: 'account key' }],
    severity: 'critical',
    rationale: 'A Batch account key submits jobs that run arbitrary code on the account\'s pools.',
    remediation: rotateAnd('account key', 'Authenticate with Entra ID (managed identity) and disable shared key authentication on the Batch account.'),
    reference: { title: 'Azure Batch security best practices', url: 'https://learn.microsoft.com/azure/batch/security-best-practices' },
    tags: ['azure', 'batch'],
  },
  {
    id: 'SEC-AZ-APIM-001',
    product: 'Azure API Management',
    signature: 'APIM',
    shape: B64_64,
    seeds: [
      { name: 'Tenant00', label: 'direct management key' },
      { name: 'IoTHub00', label: 'subscription key', severity: 'high' },
      { name: 'Gatewy00', label: 'gateway key' },
      { name: 'GitKey00', label: 'repository (Git) key' },
    ],
    severity: 'critical',
    rationale: 'API Management keys call published APIs as a subscriber or manage the service and its gateways.',
    remediation: rotateAnd('API Management key', 'Regenerate it in the portal, keep subscription keys in Key Vault, and prefer OAuth 2.0 / managed identity for callers.'),
    reference: { title: 'Subscriptions in Azure API Management', url: 'https://learn.microsoft.com/azure/api-management/api-management-subscriptions' },
    tags: ['azure', 'apim'],
  },
  {
    id: 'SEC-AZ-MLCLASSIC-001',
    product: 'Azure Machine Learning Studio (classic) web service',
    signature: '+AMC',
    shape: B64_64,
    seeds: [{ name: 'Classic0', label: 'key' }],
    severity: 'critical',
    rationale: 'A classic web-service key scores against the deployed model and exposes it to anyone holding the key.',
    remediation: rotateAnd('web service key', 'Regenerate the key, and migrate the model to an Azure Machine Learning online endpoint with Entra ID (aad_token) auth.'),
    reference: { title: 'Migrate to Azure Machine Learning from ML Studio (classic)', url: 'https://learn.microsoft.com/azure/machine-learning/migrate-overview' },
    tags: ['azure', 'machine-learning'],
  },
  {
    id: 'SEC-AZ-SERVICEBUS-001',
    product: 'Azure Service Bus',
    signature: '+ASb',
    shape: B64_32,
    seeds: MESSAGING_SEEDS,
    severity: 'critical',
    rationale: 'A Service Bus SAS key signs tokens that send, receive or manage messages under its policy.',
    remediation: rotateAnd('SAS key', 'Use Entra ID with a managed identity (Azure Service Bus Data Sender/Receiver roles) and set disableLocalAuth: true.'),
    reference: { title: 'Service Bus access control with Shared Access Signatures', url: 'https://learn.microsoft.com/azure/service-bus-messaging/service-bus-sas' },
    tags: ['azure', 'servicebus'],
  },
  {
    id: 'SEC-AZ-EVENTHUBS-001',
    product: 'Azure Event Hubs',
    signature: '+AEh',
    shape: B64_32,
    seeds: MESSAGING_SEEDS,
    severity: 'critical',
    rationale: 'An Event Hubs SAS key signs tokens that publish or read events under its policy.',
    remediation: rotateAnd('SAS key', 'Use Entra ID with a managed identity (Azure Event Hubs Data Sender/Receiver roles) and set disableLocalAuth: true.'),
    reference: { title: 'Authenticate access to Event Hubs with shared access signatures', url: 'https://learn.microsoft.com/azure/event-hubs/authenticate-shared-access-signature' },
    tags: ['azure', 'eventhubs'],
  },
  {
    id: 'SEC-AZ-RELAY-001',
    product: 'Azure Relay',
    signature: '+ARm',
    shape: B64_32,
    seeds: MESSAGING_SEEDS.slice(0, 3),
    severity: 'critical',
    rationale: 'A Relay SAS key lets its holder listen on or send to hybrid connections and WCF relays.',
    remediation: rotateAnd('SAS key', 'Regenerate the policy keys and authenticate listeners and senders with Entra ID.'),
    reference: { title: 'Azure Relay authentication and authorization', url: 'https://learn.microsoft.com/azure/azure-relay/relay-authentication-and-authorization' },
    tags: ['azure', 'relay'],
  },
  {
    id: 'SEC-AZ-REDIS-001',
    product: 'Azure Cache for Redis',
    signature: 'AzCa',
    shape: B64_32,
    seeds: [{ name: 'Access00', label: 'access key' }],
    severity: 'critical',
    rationale: 'A Redis access key reads, writes and flushes the whole cache (sessions, tokens, features cached for models).',
    remediation: rotateAnd('access key', 'Use Microsoft Entra authentication for the cache and disable access-key authentication.'),
    reference: { title: 'Use Microsoft Entra ID for cache authentication', url: 'https://learn.microsoft.com/azure/azure-cache-for-redis/cache-azure-active-directory-for-authentication' },
    tags: ['azure', 'redis'],
    replacedChars: true,
  },
  {
    id: 'SEC-AZ-IOT-001',
    product: 'Azure IoT',
    signature: 'AIoT',
    shape: B64_32,
    seeds: [
      { name: 'IoTHub00', label: 'IoT Hub shared access key' },
      { name: 'DpsKey00', label: 'Device Provisioning Service key' },
      { name: 'Device00', label: 'device key', severity: 'high' },
    ],
    severity: 'critical',
    rationale: 'IoT Hub and DPS keys impersonate devices or the service: send telemetry, invoke methods, register devices.',
    remediation: rotateAnd('IoT key', 'Regenerate the key, prefer X.509 or Entra ID authentication, and keep device keys out of source.'),
    reference: { title: 'Control access to IoT Hub with shared access signatures', url: 'https://learn.microsoft.com/azure/iot-hub/authenticate-authorize-sas' },
    tags: ['azure', 'iot'],
  },
  {
    id: 'SEC-AZ-EVENTGRID-001',
    product: 'Azure Event Grid',
    signature: 'AZEG',
    shape: B64_32,
    // The C# rule uses 'SendRecv'; the published Rust test vector verifies under 'Default0'. Accept both.
    seeds: [
      { name: 'SendRecv', label: 'access key' },
      { name: 'Default0', label: 'access key' },
    ],
    severity: 'high',
    rationale: 'An Event Grid access key publishes events to the topic or namespace, which can trigger downstream pipelines.',
    remediation: rotateAnd('access key', 'Authenticate publishers with Entra ID and disable local (key) authentication on the topic.'),
    reference: { title: 'Authenticate Event Grid publishing clients using access keys', url: 'https://learn.microsoft.com/azure/event-grid/authenticate-with-access-keys-shared-access-signatures' },
    tags: ['azure', 'eventgrid'],
  },
  {
    id: 'SEC-AZ-FUNCTIONS-001',
    product: 'Azure Functions',
    signature: 'AzFu',
    shape: { bytes: 40, alphabet: 'base64url' },
    seeds: [
      { name: 'Functi00', label: 'function key', severity: 'high' },
      { name: 'Master00', label: 'master (host admin) key' },
      { name: 'System00', label: 'system key' },
    ],
    severity: 'critical',
    rationale: 'Function keys call HTTP-triggered functions; the master key also calls the host admin API.',
    remediation: rotateAnd('function key', 'Regenerate it, keep it in Key Vault, and put Entra ID (App Service authentication) or APIM in front of the function.'),
    reference: { title: 'Securing Azure Functions: function access keys', url: 'https://learn.microsoft.com/azure/azure-functions/security-concepts' },
    tags: ['azure', 'functions'],
  },
  {
    id: 'SEC-AZ-ACR-001',
    product: 'Azure Container Registry',
    signature: '+ACR',
    shape: { bytes: 39, alphabet: 'base64' },
    seeds: [{ name: 'ACRDflt0', label: 'access key / token password' }],
    severity: 'critical',
    rationale: 'A registry password pushes and pulls images, including the environments Azure ML builds and deploys.',
    remediation: rotateAnd('registry password', 'Disable the admin user, use managed identities or scoped tokens with expiry, and pull with AcrPull role assignments.'),
    reference: { title: 'Authenticate with an Azure container registry', url: 'https://learn.microsoft.com/azure/container-registry/container-registry-authentication' },
    tags: ['azure', 'acr'],
  },
  {
    id: 'SEC-AZ-SEARCH-001',
    product: 'Azure AI Search',
    signature: 'AzSe',
    shape: { bytes: 39, alphabet: 'base62' },
    seeds: [
      { name: 'PAdmin00', label: 'admin key' },
      { name: 'Query000', label: 'query key', severity: 'high' },
    ],
    severity: 'critical',
    rationale: 'A search admin key creates, changes and deletes indexes and documents; a query key reads every indexed document.',
    remediation: rotateAnd('search key', 'Use Entra ID role-based access (Search Index Data Reader/Contributor) and set the service to RBAC-only.'),
    reference: { title: 'Connect to Azure AI Search using keys', url: 'https://learn.microsoft.com/azure/search/search-security-api-keys' },
    tags: ['azure', 'search'],
  },
];

function detectorFor(p: Product): Detector {
  const seeds: Array<HisV1Seed & { severity?: Severity }> = p.seeds.map((s) => ({ seed: seedFromAscii(s.name), label: s.label, severity: s.severity }));
  const meta = secretRule(
    p.id,
    `${p.product} key (identifiable, checksum verified)`,
    p.severity,
    p.rationale,
    p.remediation,
    [p.reference, MS_SECURITY_UTILITIES],
    p.tags,
  );
  return {
    meta,
    anchors: [p.signature],
    patterns: [],
    scan(text): SecretMatch[] {
      const out: SecretMatch[] = [];
      for (let at = text.indexOf(p.signature); at !== -1; at = text.indexOf(p.signature, at + 1)) {
        const w = hisV1Window(text, at, p.shape);
        if (!w) continue;
        const core = text.slice(w.start, w.coreEnd);
        const seed = hisV1VerifiedSeed(core, p.shape, seeds) as (typeof seeds)[number] | undefined;
        let label: string | undefined = seed?.label;
        if (!seed && p.replacedChars && redisReplacedCharsVerified(core, seeds[0].seed)) label = seeds[0].label;
        if (label === undefined) continue;
        out.push({
          start: w.start,
          end: w.end,
          ruleId: p.id,
          ...(seed?.severity ? { severity: seed.severity } : {}),
          confidence: 'verified',
          message: `${p.product} ${label} (identifiable key, checksum valid).`,
        });
        at = w.end - 1;
      }
      return out;
    },
  };
}

export const AZURE_IDENTIFIABLE_DETECTORS: Detector[] = PRODUCTS.map(detectorFor);
