/**
 * Secrets inside Azure connection strings (`Name=value;Name=value`): Service Bus / Event Hubs / Relay / IoT Hub `SharedAccessKey=`, App Configuration `Secret=`, Azure SQL and
 * Azure Database `Password=`/`Pwd=`, Cache for Redis `password=`, and Application Insights
 * `InstrumentationKey=`.
 *
 * Decision on Application Insights: Microsoft documents the instrumentation key as an identifier, not a
 * secret. It is reported at `info` so inventories show where telemetry goes (with local authentication left on,
 * anyone holding it can send fake telemetry); it never fails a gate with the default threshold.
 *
 * Storage and Cosmos DB `AccountKey=` are in azureAccountKeys.ts. A value that a checksum detector proves (an
 * identifiable key after SharedAccessKey=) is left to that detector.
 */
import type { Detector, SecretMatch } from '../types';
import { keywords } from './_keywords';
import { connectionFields, fieldLiteral, fieldMatch, isValueEnd, isZeroGuid } from './_connstr';
import { isVerifiedAzureKey } from './_known';
import { rotateAnd, secretRule } from './_meta';
import { isCredentialLiteral, isUuid } from './_values';

const SHARED_KEY = secretRule(
  'SEC-AZ-SHAREDKEY-001',
  'Shared access key in a Service Bus, Event Hubs, Relay or IoT Hub connection string',
  'high',
  'A SharedAccessKey signs SAS tokens for the namespace, hub or device named in the connection string, with the rights of its policy.',
  rotateAnd('shared access key', 'Regenerate the policy key and authenticate with Entra ID / managed identity (or X.509 for devices); set disableLocalAuth: true.'),
  [
    { title: 'Service Bus access control with Shared Access Signatures', url: 'https://learn.microsoft.com/azure/service-bus-messaging/service-bus-sas' },
    { title: 'Control access to IoT Hub with shared access signatures', url: 'https://learn.microsoft.com/azure/iot-hub/authenticate-authorize-sas' },
  ],
  ['azure', 'servicebus', 'eventhubs', 'iot'],
);

const APP_CONFIG = secretRule(
  'SEC-AZ-APPCONFIG-001',
  'Azure App Configuration connection string with its secret',
  'high',
  'An App Configuration access key reads (or writes) every key-value of the store, which often holds connection settings and feature flags.',
  rotateAnd('access key', 'Regenerate the key, connect with Entra ID (App Configuration Data Reader), and disable access-key authentication on the store.'),
  [{ title: 'Disable access key authentication for Azure App Configuration', url: 'https://learn.microsoft.com/azure/azure-app-configuration/howto-disable-access-key-authentication' }],
  ['azure', 'app-configuration'],
);

const SQL = secretRule(
  'SEC-AZ-SQL-001',
  'Password in a connection string to Azure SQL or Azure Database',
  'high',
  'A SQL login password next to its server name lets anyone who can reach the server sign in as that login.',
  rotateAnd('password', 'Use Microsoft Entra authentication with a managed identity (Authentication=Active Directory Managed Identity) and disable SQL authentication where possible.'),
  [{ title: 'Microsoft Entra authentication for Azure SQL', url: 'https://learn.microsoft.com/azure/azure-sql/database/authentication-aad-overview' }],
  ['azure', 'sql'],
);

const REDIS = secretRule(
  'SEC-AZ-REDIS-002',
  'Azure Cache for Redis password in a connection string',
  'high',
  'The password of a StackExchange.Redis connection string is a cache access key: it reads, writes and flushes the cache.',
  rotateAnd('access key', 'Regenerate the cache keys and use Microsoft Entra authentication for the cache.'),
  [{ title: 'Use Microsoft Entra ID for cache authentication', url: 'https://learn.microsoft.com/azure/azure-cache-for-redis/cache-azure-active-directory-for-authentication' }],
  ['azure', 'redis'],
);

const APP_INSIGHTS = secretRule(
  'SEC-AZ-APPINSIGHTS-001',
  'Application Insights instrumentation key in a connection string (identifier)',
  'info',
  'The instrumentation key identifies where telemetry goes; Microsoft does not treat it as a secret, but with local authentication enabled anyone holding it can send telemetry to the resource.',
  'Nothing to rotate. Prefer Entra ID-authenticated ingestion (DisableLocalAuth: true on the component) and keep connection strings in configuration rather than code.',
  [{ title: 'Connection strings in Application Insights', url: 'https://learn.microsoft.com/azure/azure-monitor/app/connection-strings' }],
  ['azure', 'application-insights'],
);

const FIELDS = keywords(['sharedaccesskey', 'secret', 'password', 'pwd', 'instrumentationkey']);

function acceptValue(name: string, v: string): boolean {
  if (name === 'instrumentationkey') return isUuid(v) && !isZeroGuid(v);
  return isCredentialLiteral(v, name === 'password' || name === 'pwd' ? 6 : 20) && !isVerifiedAzureKey(v);
}

const REDIS_HOSTS = ['.redis.cache.windows.net', '.redis.azure.net', 'redisenterprise.cache.azure.net'];
const SQL_HOSTS = ['.database.windows.net', '.database.azure.com', '.sql.azuresynapse.net'];

export const azureConnectionStringDetector: Detector = {
  meta: SHARED_KEY,
  variants: [APP_CONFIG, SQL, REDIS, APP_INSIGHTS],
  anchors: ['sharedaccesskey', 'secret', 'password', 'pwd', 'instrumentationkey'],
  caseInsensitiveAnchors: true,
  patterns: [],
  scan(text): SecretMatch[] {
    const out: SecretMatch[] = [];
    // One pass over the text for every field name; a comma ends Redis passwords (StackExchange.Redis options).
    for (const f of connectionFields(text, FIELDS, acceptValue, (name) => name === 'password' || name === 'pwd')) {
      switch (f.name) {
        case 'sharedaccesskey': {
          const where = f.context.includes('azure-devices.net') ? 'IoT Hub' : f.context.includes('servicebus.') ? 'Service Bus / Event Hubs / Relay' : 'messaging';
          out.push(fieldMatch(f, SHARED_KEY, `Shared access key in a ${where} connection string (SharedAccessKey=).`));
          break;
        }
        case 'secret':
          if (f.context.includes('.azconfig.io')) out.push(fieldMatch(f, APP_CONFIG, 'Azure App Configuration access key in a connection string (Secret=).'));
          break;
        case 'instrumentationkey':
          out.push(fieldMatch(f, APP_INSIGHTS, 'Application Insights instrumentation key (an identifier, not a secret).'));
          break;
        default: {
          const redis = REDIS_HOSTS.some((h) => f.context.includes(h));
          const sql = SQL_HOSTS.some((h) => f.context.includes(h));
          if (!redis && !sql) break;
          if (sql && !redis) {
            // A comma may sit inside a SQL password: extend to the real end of the value.
            let e = f.end;
            const stop = Math.min(text.length, f.start + 256);
            while (e < stop && !isValueEnd(text.charCodeAt(e), false)) e++;
            f.end = e;
            if (!fieldLiteral(text, f, 6)) break;
          }
          out.push(redis
            ? fieldMatch(f, REDIS, 'Azure Cache for Redis access key as a connection string password.')
            : fieldMatch(f, SQL, `SQL password (${f.name === 'pwd' ? 'Pwd=' : 'Password='}) in a connection string to an Azure database server.`));
        }
      }
    }
    return out;
  },
};
