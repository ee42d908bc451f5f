import type { AzureRmConnection } from '../../azure/cloud';

/**
 * The ids the pipeline acts as in the activity log: the connection's client id, and the object id and app id in the
 * ARM token it was just issued (the activity log's `caller` is a service principal's object id, which the service
 * connection does not carry). The token's signature is not checked: this only labels our own calls, it grants nothing.
 */
export function pipelineCallers(connection: Pick<AzureRmConnection, 'clientId' | 'msiClientId'>, token: string | undefined): string[] {
  const ids = new Set<string>();
  if (connection.clientId) ids.add(connection.clientId);
  if (connection.msiClientId) ids.add(connection.msiClientId);
  const payload = token?.split('.')[1];
  if (payload) {
    try {
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
      for (const k of ['oid', 'appid', 'azp']) if (typeof claims[k] === 'string' && claims[k]) ids.add(claims[k] as string);
    } catch {
      /* not a JWT: the connection ids are all we know */
    }
  }
  return [...ids];
}
