import { Agent } from 'node:https';
import { createSecureContext } from 'node:tls';
import { AzureMachineLearningWorkspaces } from '@azure/arm-machinelearning';
import type { TokenCredential } from '@azure/core-auth';
import type { PipelinePolicy } from '@azure/core-rest-pipeline';

export interface ArmTarget {
  /** The connection's management URL, e.g. https://management.azure.com/ (sovereign clouds differ). */
  managementUrl: string;
  /** Token scope for ARM, e.g. https://management.core.windows.net//.default. */
  armScope: string;
  subscriptionId: string;
}

export interface MlClient {
  client: AzureMachineLearningWorkspaces;
  /** Requests that went over the wire, retries included. */
  requestCount(): number;
}

/**
 * The one HTTP stack of the product: the ML SDK's client pipeline, pointed at the connection's cloud.
 * Raw reads (newer api-versions, other providers) go through the same pipeline via ArmReader.
 */
export function createMlClient(target: ArmTarget, credential: TokenCredential, userAgent: string): MlClient {
  const endpoint = target.managementUrl.replace(/\/+$/, '');
  const client = new AzureMachineLearningWorkspaces(credential, target.subscriptionId, {
    endpoint,
    // The operations build URLs from $host, not from endpoint: both must name the connection's cloud.
    $host: endpoint,
    credentialScopes: [target.armScope],
    userAgentOptions: { userAgentPrefix: userAgent },
    // Throttling (429/503 with Retry-After) waits as told; other transient failures back off from 0.8 s.
    retryOptions: { maxRetries: 3, retryDelayInMs: 800, maxRetryDelayInMs: 8000 },
  });
  let count = 0;
  client.pipeline.addPolicy(
    { name: 'mlopsGatesRequestCounter', sendRequest: (req, next) => { count++; return next(req); } },
    { afterPhase: 'Retry' },
  );
  client.pipeline.addPolicy(sharedTlsPolicy(), { afterPhase: 'Retry' });
  return { client, requestCount: () => count };
}

let sharedAgent: Agent | undefined;

/**
 * Every ARM connection on one TLS context. The SDK's own keep-alive agent lets Node build a context per connection
 * (the trust store included); with a hundred reads in flight, connection set-up was a tenth of the task's CPU.
 * Sessions are still resumed (Node's default cache), which spares each new connection the certificate checks.
 * Requests that already have an agent (a proxy: the proxy policy runs before this one) or their own TLS settings
 * keep them.
 */
export function sharedTlsPolicy(): PipelinePolicy {
  return {
    name: 'mlopsGatesSharedTls',
    sendRequest: (req, next) => {
      if (!req.agent && !req.tlsSettings && !req.disableKeepAlive && req.url.startsWith('https:')) {
        req.agent = sharedAgent ??= new Agent({ keepAlive: true, secureContext: createSecureContext() });
      }
      return next(req);
    },
  };
}
