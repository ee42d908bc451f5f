import type { RuleCases } from '../../../shared/rules/types';
import { SUB } from '../fixtures';
import { connection } from './_connections';

export const cases: RuleCases = {
  ruleId: 'AML-CONN-004',
  cases: [
    { name: 'Azure Artifacts feed over https', resource: connection('feed', { category: 'PythonFeed', authType: 'None', target: 'https://pkgs.dev.azure.com/contoso/_packaging/ml/pypi/simple/' }), expect: 'pass' },
    { name: 'ACR by bare host', resource: connection('acr', { category: 'ContainerRegistry', authType: 'ManagedIdentity', target: 'acrmltest.azurecr.io' }), expect: 'pass' },
    { name: 'Azure Repos Git, category in lower case', resource: connection('git', { category: 'git', authType: 'PAT', target: 'https://dev.azure.com/contoso/ml/_git/training' }), expect: 'pass' },
    { name: 'Azure OpenAI over https (not a software source, any host)', resource: connection('aoai', { category: 'AzureOpenAI', authType: 'AAD', target: 'https://aoai-ml.openai.azure.com/' }), expect: 'pass' },
    { name: 'plain-http API target', resource: connection('api', { category: 'CustomKeys', authType: 'CustomKeys', target: 'http://scoring.contoso.com/api' }), expect: 'fail' },
    { name: 'public PyPI is not approved by default', resource: connection('pypi', { category: 'PythonFeed', authType: 'None', target: 'https://pypi.org/simple' }), expect: 'fail' },
    { name: 'public PyPI approved by policy', resource: connection('pypi', { category: 'PythonFeed', authType: 'None', target: 'https://pypi.org/simple' }), options: { allowedHosts: ['pypi.org'] }, expect: 'pass' },
    { name: 'GitHub over scp-style address', resource: connection('gh', { category: 'Git', authType: 'PAT', target: 'git@github.com:contoso/training.git' }), expect: 'fail' },
    { name: 'Docker Hub registry over http', resource: connection('hub', { category: 'ContainerRegistry', authType: 'UsernamePassword', target: 'http://registry-1.docker.io' }), expect: 'fail' },
    { name: 'feed on an approved host but over http', resource: connection('feed', { category: 'PythonFeed', authType: 'None', target: 'http://pkgs.dev.azure.com/contoso/_packaging/ml/pypi/simple/' }), expect: 'fail' },
    { name: 'look-alike host', resource: connection('feed', { category: 'PythonFeed', authType: 'None', target: 'https://pkgs.dev.azure.com.attacker.example/simple' }), expect: 'fail' },
    { name: 'target is an ARM id', resource: connection('search', { category: 'CognitiveSearch', authType: 'AAD', target: `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Search/searchServices/srch` }), expect: 'skip' },
    { name: 'no target', resource: connection('empty', { category: 'CustomKeys', authType: 'CustomKeys', target: undefined }), expect: 'skip' },
    { name: 'bare host, not a software source', resource: connection('snow', { category: 'Snowflake', authType: 'UsernamePassword', target: 'contoso.snowflakecomputing.com' }), expect: 'skip' },
  ],
};
