import * as assert from 'node:assert/strict';
import { mlCliDetector, mlEnvDetector, mlSdkCredentialDetector } from '../../../../shared/scan/detectors/mlCredentials';
import { entraSecret, legacyStorageKey, randomBase62, randomFrom } from './_generate';
import { expectNone, expectOne, run, runAll } from './_helpers';

/** Old-style (pre-2020) Entra client secret: 34 random characters, no marker, no checksum. */
const oldSecret = () => randomFrom('abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.~@:', 34).replace(/^[-_.~]/u, 'A');

describe('ML credentials: datastores and service principals', () => {
  it('datastore YAML with account_key, sas_token and client_secret literals', () => {
    const key = legacyStorageKey();
    const yaml = `$schema: https://azuremlschemas.azureedge.net/latest/azureBlob.schema.json\nname: raw\ntype: azure_blob\naccount_name: mlraw\ncontainer_name: data\ncredentials:\n  account_key: ${key}\n`;
    expectOne(run(mlSdkCredentialDetector, yaml, 'datastores/raw.yml'), yaml, key, 'SEC-AML-DATASTORE-001');
    const sas = 'sp=r&st=2026-01-01&se=2027-01-01&spr=https&sv=2022-11-02&sr=c&token=' + randomBase62(30);
    const yaml2 = `credentials:\n  sas_token: "${sas}"\n`;
    expectOne(run(mlSdkCredentialDetector, yaml2, 'datastore.yaml'), yaml2, sas, 'SEC-AML-DATASTORE-001');
    const secret = oldSecret();
    const adls = `type: azure_data_lake_gen2\ncredentials:\n  tenant_id: ${crypto.randomUUID()}\n  client_id: ${crypto.randomUUID()}\n  client_secret: ${secret}\n`;
    expectOne(run(mlSdkCredentialDetector, adls, 'adls.yml'), adls, secret, 'SEC-AML-SP-001');
  });

  it('SDK v2 configuration objects and v1 registration calls', () => {
    const key = legacyStorageKey();
    const py = `store = AzureBlobDatastore(name="raw", account_name="mlraw", credentials=AccountKeyConfiguration(account_key="${key}"))`;
    expectOne(run(mlSdkCredentialDetector, py), py, key, 'SEC-AML-DATASTORE-001');
    const secret = oldSecret();
    const v1 = `Datastore.register_azure_data_lake_gen2(ws, "dl", "fs", "acct", tenant_id=t, client_id=c, client_secret='${secret}')`;
    expectOne(run(mlSdkCredentialDetector, v1), v1, secret, 'SEC-AML-SP-001');
  });

  it('ClientSecretCredential and ServicePrincipalAuthentication with a literal secret', () => {
    const s = oldSecret();
    const py = `cred = ClientSecretCredential(tenant_id, client_id, "${s}")`;
    expectOne(run(mlSdkCredentialDetector, py), py, s, 'SEC-AML-SP-001');
    const cs = `var cred = new ClientSecretCredential(tenantId, clientId, "${s}");`;
    expectOne(run(mlSdkCredentialDetector, cs, 'src/Train.cs'), cs, s, 'SEC-AML-SP-001');
    const v1 = `auth = ServicePrincipalAuthentication(tenant_id="t", service_principal_id="c", service_principal_password="${s}")`;
    expectOne(run(mlSdkCredentialDetector, v1), v1, s, 'SEC-AML-SP-001');
    const v1pos = `auth = ServicePrincipalAuthentication("t", "c", '${s}')`;
    expectOne(run(mlSdkCredentialDetector, v1pos), v1pos, s, 'SEC-AML-SP-001');
  });

  it('references, variables and placeholders are not literals', () => {
    for (const text of [
      'cred = ClientSecretCredential(tenant_id, client_id, os.environ["AZURE_CLIENT_SECRET"])',
      'cred = ClientSecretCredential(tenant_id, client_id, client_secret)',
      'auth = ServicePrincipalAuthentication(tenant_id=t, service_principal_id=c, service_principal_password=kv.get_secret("sp"))',
      'credentials:\n  account_key: ${{ secrets.STORAGE_KEY }}\n',
      'credentials:\n  client_secret: <client-secret>\n',
      'client_secret = get_client_secret_from_vault()',
      'client_secret: "$(spSecret)"',
      'account_key=account_key',
      'if client_secret == "":',
    ]) expectNone(run(mlSdkCredentialDetector, text, text.includes('credentials:') ? 'ds.yml' : 'train.py'), text);
  });

  it('a verified Entra secret in client_secret is reported once, by the Entra detector', () => {
    const s = entraSecret();
    assert.deepEqual(runAll(`client_secret = "${s}"`).map((m) => m.ruleId), ['SEC-AZ-ENTRA-001']);
  });
});

describe('ML credentials: az CLI and environment variables', () => {
  it('az login with a service principal password, az storage with an account key', () => {
    const s = oldSecret();
    const sh = `az login --service-principal -u "$APP_ID" -p ${s} --tenant "$TENANT"`;
    expectOne(run(mlCliDetector, sh, 'scripts/login.sh'), sh, s, 'SEC-AML-CLI-001');
    const quoted = `az login --service-principal --username x --password "${s}" --tenant t`;
    expectOne(run(mlCliDetector, quoted), quoted, s, 'SEC-AML-CLI-001');
    const key = legacyStorageKey();
    const multi = `az storage blob upload \\\n  --account-name mlraw \\\n  --account-key ${key} \\\n  --container-name models --file model.pkl`;
    expectOne(run(mlCliDetector, multi), multi, key, 'SEC-AML-CLI-001');
  });

  it('variables, non-az commands and -p elsewhere are ignored', () => {
    for (const text of [
      'az login --service-principal -u "$APP_ID" -p "$SP_SECRET" --tenant "$TENANT"',
      'az login --service-principal -u $(appId) -p $(spSecret) --tenant $(tenant)',
      `mysql -u root -p ${randomBase62(16)}`,
      `docker login -u x --password ${randomBase62(16)} registry.contoso.com`,
      `az storage blob list --account-name x -p ${randomBase62(16)}`,
    ]) expectNone(run(mlCliDetector, text), text);
  });

  it('credential environment variables assigned literals in shell, .env, Dockerfiles, Python and YAML', () => {
    const s = oldSecret();
    const cases: Array<[string, string]> = [
      [`export AZURE_CLIENT_SECRET=${s}\n`, 'scripts/env.sh'],
      [`AZURE_CLIENT_SECRET=${s}\n`, '.env'],
      [`ENV MLFLOW_TRACKING_TOKEN ${s}\n`, 'Dockerfile'],
      [`os.environ["AZURE_CLIENT_SECRET"] = "${s}"\n`, 'train.py'],
      [`os.environ.setdefault("MLFLOW_TRACKING_PASSWORD", "${s}")\n`, 'train.py'],
      [`$env:AZURE_CLIENT_SECRET = "${s}"\n`, 'login.ps1'],
      [`env:\n  DATABRICKS_TOKEN: ${s}\n`, 'azure-pipelines.yml'],
    ];
    for (const [text, path] of cases) expectOne(run(mlEnvDetector, text, path), text, s, 'SEC-AML-ENV-001');
    // A value that starts with ':' or '=' (old-style client secrets may): in a Dockerfile ENV line it is all value.
    for (const lead of [':', '=']) {
      const v = `${lead}${s.slice(1)}`;
      const text = `ENV AZURE_CLIENT_SECRET ${v}\n`;
      expectOne(run(mlEnvDetector, text, 'Dockerfile'), text, v, 'SEC-AML-ENV-001');
    }
  });

  it('environment variables set from secrets are fine', () => {
    for (const [text, path] of [
      ['env:\n  AZURE_CLIENT_SECRET: $(spSecret)\n', 'azure-pipelines.yml'],
      ['AZURE_CLIENT_SECRET: ${{ secrets.AZURE_CLIENT_SECRET }}\n', '.github/workflows/ci.yml'],
      ['export AZURE_CLIENT_SECRET="$(az keyvault secret show --name sp --vault-name kv --query value -o tsv)"\n', 'env.sh'],
      ['os.environ["AZURE_CLIENT_SECRET"] = secret\n', 'train.py'],
      ['AZURE_CLIENT_SECRET=\n', '.env.example'],
      ['AZURE_CLIENT_SECRET=your-client-secret\n', '.env'],
    ] as const) expectNone(run(mlEnvDetector, text, path), text);
  });
});
