import type { RuleCases } from '../../../shared/rules/types';
import { onlineDeployment } from '../fixtures';
import { githubToken, literalPassword, lowercasePassphrase, signedJwt, storageConnectionString } from './_secrets';

const withVars = (vars: Record<string, unknown>) => onlineDeployment('ep', 'blue', { environmentVariables: vars });

export const cases: RuleCases = {
  ruleId: 'AML-OD-003',
  cases: [
    { name: 'no variables', resource: onlineDeployment('ep', 'blue'), expect: 'pass' },
    { name: 'ordinary settings', resource: withVars({ WORKER_COUNT: '4', AZUREML_MODEL_DIR: '/var/azureml-app/model', LOG_LEVEL: 'INFO', MAX_TOKENS: '512' }), expect: 'pass' },
    { name: 'secret injection references', resource: withVars({ OPENAI_API_KEY: '${{azureml://connections/aoai/credentials/key}}', DB_PASSWORD: '${{azureml://connections/sql/credentials/password}}' }), expect: 'pass' },
    { name: 'placeholders and names that describe secrets', resource: withVars({ DB_PASSWORD: '<set at deploy time>', CLIENT_SECRET_NAME: 'scoring-client-secret', TOKEN_URL: 'https://login.example.net/token' }), expect: 'pass' },
    { name: 'storage connection string under a neutral name', resource: withVars({ UPSTREAM_STORE: storageConnectionString() }), expect: 'fail' },
    { name: 'GitHub token', resource: withVars({ GH_TOKEN: githubToken() }), expect: 'fail' },
    { name: 'signed JWT', resource: withVars({ SERVICE_BEARER: signedJwt() }), expect: 'fail' },
    { name: 'random password (generic detector)', resource: withVars({ SQL_PWD: literalPassword() }), expect: 'fail' },
    { name: 'one-class passphrase under a secret-sounding name', resource: withVars({ APP_PASSPHRASE: lowercasePassphrase() }), expect: 'fail', severity: 'medium' },
    { name: 'non-string values are ignored', resource: withVars({ RETRIES: 3 }), expect: 'pass' },
  ],
};
