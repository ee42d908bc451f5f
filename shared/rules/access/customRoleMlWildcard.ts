import type { Rule, RuleOutcome } from '../types';
import { eqi, get, show, str } from '../_util';

/**
 * Sample Azure ML operations that change resources or reveal secrets. A wildcard "covers" Azure ML when it
 * matches one of them; read-only wildcards (`*\/read`) match none, since reading configuration returns no secret.
 */
const ML_PROBES = [
  'Microsoft.MachineLearningServices/workspaces/write',
  'Microsoft.MachineLearningServices/workspaces/delete',
  'Microsoft.MachineLearningServices/workspaces/listKeys/action',
  'Microsoft.MachineLearningServices/workspaces/computes/write',
  'Microsoft.MachineLearningServices/workspaces/computes/listKeys/action',
  'Microsoft.MachineLearningServices/workspaces/datastores/listSecrets/action',
  'Microsoft.MachineLearningServices/workspaces/connections/listsecrets/action',
  'Microsoft.MachineLearningServices/workspaces/jobs/write',
  'Microsoft.MachineLearningServices/workspaces/onlineEndpoints/listKeys/action',
  'Microsoft.MachineLearningServices/workspaces/onlineEndpoints/score/action',
  'Microsoft.MachineLearningServices/registries/write',
];

/** Azure RBAC action patterns: `*` matches any run of characters, comparison ignores case. */
function globRegex(pattern: string): RegExp {
  return new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\/]/g, '\\$&')).join('.*')}$`, 'i');
}

function coversMl(pattern: string): boolean {
  if (!pattern.includes('*')) return false;
  const re = globRegex(pattern);
  return ML_PROBES.some((op) => re.test(op));
}

/**
 * A wildcard is neutralised only by a not-pattern in the same permission block that removes all of it:
 * the same text, or a broader glob that matches the wildcard's own text (every expansion then matches too).
 */
function removedBy(pattern: string, notPatterns: string[]): boolean {
  return notPatterns.some((n) => eqi(n, pattern) || globRegex(n).test(pattern));
}

function strings(x: unknown): string[] {
  return Array.isArray(x) ? x.map(str).filter((s): s is string => s !== undefined) : [];
}

export const rule: Rule = {
  id: 'AML-IAM-002',
  title: 'Custom roles grant no wildcard over Azure Machine Learning',
  severity: 'high',
  resourceKind: 'roleDefinition',
  rationale:
    'A wildcard such as `*` or `Microsoft.MachineLearningServices/*` silently includes every current and future operation, among them ' +
    'listing workspace, datastore, connection and endpoint secrets; custom roles should list the operations they need.',
  remediation:
    'Replace the wildcard in the custom role\'s `permissions[].actions` / `dataActions` with the explicit operations needed (az role definition update), ' +
    'or use a built-in role such as AzureML Data Scientist or AzureML Compute Operator.',
  references: [
    { title: 'Create custom roles for Azure Machine Learning', url: 'https://learn.microsoft.com/azure/machine-learning/how-to-assign-roles#create-custom-role' },
    { title: 'Azure custom roles: wildcard permissions', url: 'https://learn.microsoft.com/azure/role-based-access-control/role-definitions#wildcard-permissions' },
    { title: 'Best practices for Azure RBAC', url: 'https://learn.microsoft.com/azure/role-based-access-control/best-practices' },
  ],
  check(def) {
    // Built-in roles are Microsoft's to define; a missing type (a template) is judged as custom.
    const type = get(def, 'properties.type');
    if (eqi(type, 'BuiltInRole')) return { status: 'skip', reason: 'built-in role' };
    const perms = get(def, 'properties.permissions');
    if (!Array.isArray(perms)) return { status: 'pass' };
    const out: RuleOutcome[] = [];
    perms.forEach((block, i) => {
      for (const [list, notList] of [['actions', 'notActions'], ['dataActions', 'notDataActions']] as const) {
        const nots = strings(get(block, notList));
        const raw = get(block, list);
        (Array.isArray(raw) ? raw : []).forEach((entry, j) => {
          const pattern = str(entry);
          if (!pattern || !coversMl(pattern) || removedBy(pattern, nots)) return;
          out.push({
            status: 'fail',
            path: `properties.permissions.${i}.${list}.${j}`,
            message: `Custom role ${show(get(def, 'properties.roleName'))} grants ${list} ${show(pattern)}, which covers Azure Machine Learning operations such as listing secrets.`,
          });
        });
      }
    });
    return out.length > 0 ? out : { status: 'pass' };
  },
};
