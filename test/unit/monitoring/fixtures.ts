/** Builders of monitoring evidence for the evaluator's tables. */
import type { ActivityOperation, EndpointTraffic, MonitoringData } from '../../../shared/monitoring/types';

export const SUB = '00000000-1111-2222-3333-444444444444';
export const WS_ID = `/subscriptions/${SUB}/resourceGroups/rg-prod/providers/Microsoft.MachineLearningServices/workspaces/mlw-prod`;
export const EP_ID = `${WS_ID}/onlineEndpoints/ep-credit`;
export const PIPELINE = { clientId: 'c5a1e9d2-0000-4b80-9e16-7a2d5c8b0f39', objectId: '0e6b4d73-0000-4c5f-8b37-f1d2a6e94c08' };
export const CTX = { pipelineCallers: [PIPELINE.clientId, PIPELINE.objectId] };

export function traffic(byStatus: Record<string, number> | undefined, latencyMs?: number, over: Partial<EndpointTraffic> = {}): EndpointTraffic {
  return { endpointId: EP_ID, name: 'ep-credit', requestsByStatus: byStatus, latencyMs, unavailable: [], ...over };
}

export function op(over: Partial<ActivityOperation> = {}): ActivityOperation {
  return {
    operationId: 'op-1',
    time: '2026-06-01T10:00:00.0000000Z',
    operationName: 'Microsoft.MachineLearningServices/workspaces/onlineEndpoints/listKeys/action',
    resourceId: EP_ID,
    caller: 'sam@contoso.com',
    status: 'Succeeded',
    requestLogged: false,
    ...over,
  };
}

export function data(over: Partial<MonitoringData> = {}): MonitoringData {
  return {
    window: { start: '2026-05-25T12:00:00.000Z', end: '2026-06-01T12:00:00.000Z', days: 7 },
    workspaceId: WS_ID,
    endpoints: [],
    operations: [],
    ...over,
  };
}
