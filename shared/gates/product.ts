/** Names and versions the gates report about themselves (SARIF tool, evidence, user agent). */
export const PRODUCT = {
  name: 'MLOps Gates',
  version: '0.1.1',
  url: 'https://github.com/mlops-gates/mlops-gates',
  userAgent: 'mlops-gates/0.1.1',
} as const;
