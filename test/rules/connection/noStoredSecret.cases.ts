import type { RuleCases } from '../../../shared/rules/types';
import { connection } from './_connections';

export const cases: RuleCases = {
  ruleId: 'AML-CONN-001',
  cases: [
    { name: 'Azure OpenAI over Entra ID', resource: connection('aoai', { category: 'AzureOpenAI', authType: 'AAD', target: 'https://aoai-ml.openai.azure.com/' }), expect: 'pass' },
    { name: 'managed identity', resource: connection('acr', { category: 'ContainerRegistry', authType: 'ManagedIdentity', target: 'acrmltest.azurecr.io' }), expect: 'pass' },
    { name: 'no auth (public feed), lower-case value', resource: connection('feed', { category: 'PythonFeed', authType: 'none', target: 'https://pkgs.dev.azure.com/contoso/_packaging/ml/pypi/simple/' }), expect: 'pass' },
    { name: 'PAT (2022-10-01 type)', resource: connection('git', { category: 'Git', authType: 'PAT', target: 'https://dev.azure.com/contoso/ml/_git/training' }), expect: 'fail', severity: 'high' },
    { name: 'username and password', resource: connection('feed2', { category: 'PythonFeed', authType: 'UsernamePassword', target: 'https://pkgs.dev.azure.com/contoso/_packaging/ml/pypi/simple/' }), expect: 'fail', severity: 'high' },
    { name: 'SAS is medium', resource: connection('blob', { category: 'AzureBlob', authType: 'SAS', target: 'https://stdata01.blob.core.windows.net/data' }), expect: 'fail', severity: 'medium' },
    { name: 'API key (2024-10-01 type)', resource: connection('aoai-key', { category: 'AzureOpenAI', authType: 'ApiKey', target: 'https://aoai-ml.openai.azure.com/' }), expect: 'fail', severity: 'high' },
    { name: 'custom keys', resource: connection('serp', { category: 'CustomKeys', authType: 'CustomKeys' }), expect: 'fail', severity: 'high' },
    { name: 'OAuth2', resource: connection('sp', { category: 'ApiKey', authType: 'OAuth2' }), expect: 'fail', severity: 'high' },
    { name: 'unknown future auth type is treated as secret-bearing', resource: connection('future', { authType: 'DelegatedSAS' }), expect: 'fail', severity: 'high' },
    { name: 'authType missing', resource: connection('broken', { authType: undefined }), expect: 'fail', severity: 'high' },
  ],
};
