/**
 * The contract every rule and every rule consumer shares.
 *
 * Rules read raw ARM JSON (the REST shape: `properties.publicNetworkAccess`, not the SDK's flattened
 * models), so the same rule runs on a live inventory, on an ARM template and on a test table.
 */

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Rank for comparisons: higher is worse. */
export function severityRank(s: Severity): number {
  return SEVERITIES.length - SEVERITIES.indexOf(s);
}

/** What kind of resource a rule looks at. The engine hands each rule every resource of its kind. */
export type ResourceKind =
  | 'workspace'
  | 'compute'
  | 'datastore'
  | 'connection'
  | 'storageAccount'
  | 'keyVault'
  | 'containerRegistry'
  | 'applicationInsights'
  | 'roleAssignment'
  | 'roleDefinition'
  // EndpointHardeningCheck's kinds (shared/rules/endpoint, deployment, batch).
  | 'onlineEndpoint'
  | 'onlineDeployment'
  | 'batchEndpoint'
  | 'batchDeployment';

/** A resource as ARM returns it. Everything but `id` is optional because templates and old API versions omit fields. */
export interface ArmResource {
  id: string;
  name?: string;
  type?: string;
  location?: string;
  kind?: string;
  sku?: Record<string, unknown>;
  identity?: Record<string, any>;
  properties?: Record<string, any>;
  tags?: Record<string, string>;
  [key: string]: unknown;
}

/**
 * Everything SecurityGate reads about one workspace. Linked resources are undefined when the workspace
 * does not link one (an optional container registry, say); a read that failed never yields undefined,
 * it fails the collection.
 */
export interface WorkspaceInventory {
  workspace: ArmResource;
  computes: ArmResource[];
  datastores: ArmResource[];
  connections: ArmResource[];
  privateEndpointConnections: ArmResource[];
  storageAccount?: ArmResource;
  keyVault?: ArmResource;
  containerRegistry?: ArmResource;
  applicationInsights?: ArmResource;
  /** Microsoft.Insights/diagnosticSettings on the workspace. */
  diagnosticSettings: ArmResource[];
  /** Role assignments that apply at the workspace scope (at it and inherited from above). */
  roleAssignments: ArmResource[];
  /** The definitions those assignments name, each once. */
  roleDefinitions: ArmResource[];
  /**
   * Microsoft.KubernetesConfiguration extensions of the clusters behind Kubernetes computes (TLS of the
   * inference router lives there). Undefined when not collected (an ARM template, say).
   */
  kubernetesExtensions?: ArmResource[];
  /**
   * EndpointHardeningCheck only (undefined for SecurityGate): online and batch endpoints of the workspace
   * (one, or all) and every deployment under them. Deployment ids contain their endpoint's id.
   */
  onlineEndpoints?: ArmResource[];
  onlineDeployments?: ArmResource[];
  batchEndpoints?: ArmResource[];
  batchDeployments?: ArmResource[];
  /**
   * EndpointHardeningCheck only: the environment versions deployments run whose image the deployment itself does
   * not show, i.e. the anonymous ones (`CliV2AnonymousEnvironment`) an inline `environment: image:` becomes; their
   * `properties.image` is judged. Named, versioned environments are not read. Undefined when not collected.
   */
  environmentVersions?: ArmResource[];
}

/** Options a policy file passes to rules (allow-lists, windows). Rules read only what they need. */
export interface RuleOptions {
  /** Days a secret-bearing connection may live before it must expire (AML-CONN-002). */
  connectionMaxLifetimeDays?: number;
  /** Host suffixes datastores and connections may point at. */
  allowedHosts?: string[];
  /** Treat the workspace as holding sensitive data (raises some checks). */
  sensitiveData?: boolean;
  /** ARM id prefixes managed-network private-endpoint rules may target (AML-WS-005); unset: not judged. */
  allowedPrivateEndpointTargets?: string[];
  /** Endpoints: weakest online-endpoint auth mode allowed (key < aml_token < aad_token). Default: aml_token (no key auth). */
  endpointMinAuthMode?: 'key' | 'aml_token' | 'aad_token';
  /** Endpoints: the environment is production (instance count >= 2, stricter severities). */
  production?: boolean;
  /** Endpoints: registry names models may come from (besides the workspace's own models). Unset: any registry. */
  allowedModelRegistries?: string[];
  /** Endpoints: container registry hosts (e.g. `myacr.azurecr.io`) whose images need no digest pin; the workspace's own ACR always counts. */
  trustedImageRegistries?: string[];
  /** Endpoints: largest mirror traffic share in percent (default 50). */
  maxMirrorTrafficPercent?: number;
  /** Kubernetes computes: a public load balancer for inference is allowed (default false). */
  allowPublicLoadBalancer?: boolean;
  /** Endpoints: thresholds over the monitoring window (shared/monitoring). */
  monitoring?: MonitoringThresholds;
  [key: string]: unknown;
}

export interface MonitoringThresholds {
  maxAuthFailures?: number;
  maxAuthFailureRatePercent?: number;
  maxServerErrorRatePercent?: number;
  maxThrottledRatePercent?: number;
  maxLatencyMs?: number;
  allowedCallers?: string[];
}

/** What a rule sees besides the resource itself: the whole inventory, the evaluation time, options. */
export interface RuleContext {
  inventory: WorkspaceInventory;
  /** Evaluation time, passed in so rules stay pure and tests stay deterministic. */
  now: Date;
  options: RuleOptions;
}

export type RuleOutcome =
  | { status: 'pass' }
  /** Not relevant to this resource (a compute-instance rule on a cluster, say). */
  | { status: 'skip'; reason: string }
  | {
      status: 'fail';
      /** One sentence naming what is wrong and the value seen. */
      message: string;
      /** JSON path of the offending property, e.g. `properties.publicNetworkAccess`. */
      path?: string;
      /** Overrides the rule's default severity for this case (AccountKey vs SAS, say). */
      severity?: Severity;
    };

export interface RuleReference {
  title: string;
  url: string;
}

/**
 * What every check shows users, whatever it judges: ARM resources (Rule), file content (secret detectors,
 * model-file checks). SARIF, the summary and the policy file work on this.
 */
export interface RuleMeta {
  /** Stable id, e.g. `AML-WS-001`. Never reused for another meaning. */
  id: string;
  title: string;
  severity: Severity;
  /** Why it matters, in a sentence or two. */
  rationale: string;
  /** What to change, concretely (portal, CLI or ARM property). */
  remediation: string;
  /** Azure Policy / PSRule / MCSB / docs links the rule mirrors. At least one. */
  references: RuleReference[];
  /** Words for SARIF tags and grouping, e.g. ['secret', 'azure']. */
  tags?: string[];
}

export interface Rule extends RuleMeta {
  resourceKind: ResourceKind;
  /** Pure: no I/O, no clock (use ctx.now), no randomness. One outcome, or several for list-valued properties. */
  check(resource: ArmResource, ctx: RuleContext): RuleOutcome | RuleOutcome[];
}

/** A table of cases for one rule: every rule has at least one passing and one failing case. */
export interface RuleCases {
  ruleId: string;
  /** Inventory pieces merged over a minimal default inventory for every case (optional). */
  inventory?: Partial<WorkspaceInventory>;
  now?: string;
  cases: Array<{
    name: string;
    resource: ArmResource;
    expect: 'pass' | 'fail' | 'skip';
    /** Expected severity of a failure when the rule varies it. */
    severity?: Severity;
    inventory?: Partial<WorkspaceInventory>;
    options?: RuleOptions;
  }>;
}

/** Where in a file a content finding sits. Lines and columns are 1-based, as in SARIF. */
export interface FileLocation {
  /** Path relative to the scanned root, with forward slashes. */
  file: string;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
  /** Jupyter notebooks: the cell (0-based index) and whether the text was in its source or an output. */
  cell?: { index: number; part: 'source' | 'output'; outputIndex?: number };
  /** Model files and other binaries: byte offset instead of a meaningful line. */
  byteOffset?: number;
}

export interface Finding {
  ruleId: string;
  title: string;
  severity: Severity;
  /** ARM findings: the kind of resource. Content findings: 'file'. */
  resourceKind: ResourceKind | 'file';
  /** ARM findings: the resource id. Content findings: the file path (as in `location.file`). */
  resourceId: string;
  message: string;
  /** ARM findings: JSON path of the offending property. */
  path?: string;
  /** Content findings: where in the file. */
  location?: FileLocation;
  /** Content findings for secrets: a few leading characters and a short hash, never the value. */
  preview?: string;
  /**
   * Stable across runs. ARM: hash of rule id, lower-cased resource id and path. Content: hash of rule id,
   * file and the matched value's hash (not the line), so moving a line keeps it.
   */
  fingerprint: string;
  /** Set when a policy waiver covers the finding. */
  waiver?: { owner: string; reason: string; expires: string; expiresSoon: boolean };
}
