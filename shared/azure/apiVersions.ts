/**
 * The api-versions the collector asks for. The ML SDK speaks 2022-10-01; the workspace, computes and
 * connections are read at a newer stable version because the rules need fields that 2022-10-01 lacks
 * (managedNetwork, systemDatastoresAuthMode, osImageMetadata, idle shutdown, connection expiry).
 */
export const API = {
  mlSdk: '2022-10-01',
  mlLatest: '2025-12-01',
  storage: '2023-05-01',
  keyVault: '2023-07-01',
  containerRegistry: '2023-07-01',
  appInsights: '2020-02-02',
  diagnosticSettings: '2021-05-01-preview',
  authorization: '2022-04-01',
  kubernetesConfiguration: '2023-05-01',
  /** Azure Monitor metrics (Metrics_List) of online endpoints. */
  monitorMetrics: '2023-10-01',
  /** Activity log (ActivityLogs_List, eventtypes/management/values): 2015-04-01 is its only stable version. */
  activityLog: '2015-04-01',
} as const;
