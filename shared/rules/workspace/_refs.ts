/** Reference-link builders for the workspace and compute families, so every URL has one spelling. */
import type { RuleReference } from '../types';

/** An Azure Policy built-in in the `Machine Learning` category of Azure/azure-policy, by file name. */
export function policyRef(title: string, file: string): RuleReference {
  return {
    title: `Azure Policy: ${title}`,
    url: `https://github.com/Azure/azure-policy/blob/master/built-in-policies/policyDefinitions/Machine%20Learning/${file}`,
  };
}

/** A PSRule for Azure rule page. */
export function psruleRef(name: string): RuleReference {
  return { title: `PSRule for Azure: ${name}`, url: `https://azure.github.io/PSRule.Rules.Azure/en/rules/${name}/` };
}

/** A Microsoft Learn page under /azure/machine-learning/. */
export function learnRef(title: string, page: string): RuleReference {
  return { title: `Microsoft Learn: ${title}`, url: `https://learn.microsoft.com/azure/machine-learning/${page}` };
}

export const MCSB_ML_BASELINE: RuleReference = {
  title: 'Microsoft cloud security benchmark: Azure Machine Learning security baseline',
  url: 'https://learn.microsoft.com/security/benchmark/azure/baselines/machine-learning-security-baseline',
};
