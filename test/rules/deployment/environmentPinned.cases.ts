import type { ArmResource, RuleCases, WorkspaceInventory } from '../../../shared/rules/types';
import { RG, SUB, WS_ID, onlineDeployment } from '../fixtures';

const withEnv = (environmentId: unknown) => onlineDeployment('ep', 'blue', { environmentId });
const ENV = `${WS_ID}/environments/scoring-env/versions/12`;
const ANON = `${WS_ID}/environments/CliV2AnonymousEnvironment/versions/4f0c7e1a2b3c4d5e6f708192a3b4c5d6`;

/** `environmentVersions` is a proposed inventory field (see shared/rules/deployment/_environment.ts). */
const withVersion = (id: string, image: string, acr?: ArmResource) =>
  ({
    environmentVersions: [{ id, name: id.split('/').pop(), properties: { image } }],
    ...(acr ? { containerRegistry: acr } : {}),
  }) as unknown as Partial<WorkspaceInventory>;
const acr: ArmResource = {
  id: `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.ContainerRegistry/registries/crmltest`,
  name: 'crmltest',
  properties: { loginServer: 'crmltest.azurecr.io' },
};
const DIGEST = `@sha256:${'3f'.repeat(32)}`;

export const cases: RuleCases = {
  ruleId: 'AML-OD-005',
  cases: [
    { name: 'ARM id with an explicit version', resource: withEnv(ENV), expect: 'pass' },
    { name: 'short form with a version', resource: withEnv('azureml:scoring-env:12'), expect: 'pass' },
    { name: 'curated environment with a version', resource: withEnv('azureml://registries/azureml/environments/sklearn-1.5/versions/14'), expect: 'pass' },
    { name: 'label @latest', resource: withEnv('azureml:scoring-env@latest'), expect: 'fail', severity: 'low' },
    { name: 'registry label', resource: withEnv('azureml://registries/azureml/environments/sklearn-1.5/labels/latest'), expect: 'fail' },
    { name: 'version "latest"', resource: withEnv(`${WS_ID}/environments/scoring-env/versions/latest`), expect: 'fail' },
    { name: 'environment without a version', resource: withEnv(`${WS_ID}/environments/scoring-env`), expect: 'fail' },
    { name: 'not an environment reference', resource: withEnv('mcr.microsoft.com/azureml/minimal-ubuntu22.04-py39-cpu-inference:latest'), expect: 'fail' },
    { name: 'no environment: no-code MLflow deployment', resource: onlineDeployment('ep', 'blue'), expect: 'skip' },
    { name: 'inline image pinned by digest', resource: withEnv(ANON), inventory: withVersion(ANON, `docker.io/library/python${DIGEST}`), expect: 'pass' },
    { name: 'inline image from the workspace registry', resource: withEnv(ANON), inventory: withVersion(ANON, 'crmltest.azurecr.io/scoring:1.4', acr), expect: 'pass' },
    { name: 'inline image from a trusted registry', resource: withEnv(ANON), inventory: withVersion(ANON, 'mcr.microsoft.com/azureml/minimal-ubuntu22.04-py39-cpu-inference:latest'), options: { trustedImageRegistries: ['mcr.microsoft.com'] }, expect: 'pass' },
    { name: 'inline Docker Hub image by floating tag', resource: withEnv(ANON), inventory: withVersion(ANON, 'python:3.11-slim', acr), expect: 'fail', severity: 'medium' },
    { name: 'inline image from an untrusted registry', resource: withEnv(ANON), inventory: withVersion(ANON, 'ghcr.io/someone/scorer:main'), expect: 'fail', severity: 'medium' },
  ],
};
