import type { Rule } from '../types';
import { eqi, get } from '../_util';
import { learnRef } from '../workspace/_refs';

const PATH = 'properties.dataCollector';
const COLLECTIONS = ['model_inputs', 'model_outputs'] as const;

/**
 * dataCollector exists from api-version 2024-04-01 (catalog §7); an inventory read with an older version never has
 * it, and this rule then fails every deployment. The message says so, so a reader can tell the two cases apart.
 */
export const rule: Rule = {
  id: 'AML-OD-006',
  title: 'Online deployment collects model inputs and outputs',
  severity: 'low',
  resourceKind: 'onlineDeployment',
  rationale:
    'Without collected inputs and outputs there is no record of what the model was asked and answered: drift, abuse and harmful ' +
    'outputs cannot be monitored or investigated.',
  remediation:
    'Enable the data collector with the model_inputs and model_outputs collections (data_collector: collections: model_inputs: enabled: ' +
    '\'True\' … in the deployment YAML; REST properties.dataCollector.collections.<name>.dataCollectionMode "Enabled") and log them from the scoring script.',
  references: [
    learnRef('Collect production data from models deployed for real-time inferencing', 'how-to-collect-production-data'),
    learnRef('Data collection from models in production', 'concept-data-collection'),
  ],
  check(dep) {
    const dc = get(dep, PATH);
    if (dc === undefined || dc === null) {
      return { status: 'fail', path: PATH, message: 'The deployment has no dataCollector (not configured, or read with an api-version older than 2024-04-01), so model inputs and outputs are not collected.' };
    }
    const off = COLLECTIONS.filter((c) => !eqi(get(dc, `collections.${c}.dataCollectionMode`), 'Enabled'));
    if (off.length === 0) return { status: 'pass' };
    return { status: 'fail', path: `${PATH}.collections`, message: `Data collection is not enabled for ${off.join(' and ')}.` };
  },
};
