import { MONITORING_RULES } from '../monitoring/rules';
import { PROBE_RULES } from '../probe/rules';
import { ALL_RULES } from '../rules/catalog';
import { defaultPlugins, pluginRules } from '../scan/plugins';
import { EXPLAIN_RULES } from './explain/rules';

/**
 * Every rule id a policy file may name, whichever gate reads it: one `.mlops-gates.yml` serves every task of a
 * repository, so an id only another gate runs is known, not a typo. Listing the content checks loads every plugin,
 * so call it only when there is a policy file to check.
 */
export function knownRuleIds(): string[] {
  return [...ALL_RULES, ...PROBE_RULES, ...MONITORING_RULES, ...EXPLAIN_RULES, ...pluginRules(defaultPlugins())].map((r) => r.id);
}
