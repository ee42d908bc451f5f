/**
 * Credentials written into ML code and configuration:
 * - SEC-AML-SP-001: service principal secrets set to literals: `client_secret` / `service_principal_password`
 *   (kwargs, YAML, JSON) and the third positional argument of `ClientSecretCredential(...)` /
 *   `ServicePrincipalAuthentication(...)`.
 * - SEC-AML-DATASTORE-001: datastore credentials set to literals: `account_key`, `sas_token` (datastore YAML
 *   `credentials:`, AccountKeyConfiguration, SasTokenConfiguration, v1 `register_azure_blob_container`).
 * - SEC-AML-CLI-001: secrets on `az` command lines: `az login ... -p <literal>`, `--password`, `--client-secret`,
 *   `--account-key`, `--sas-token`.
 * - SEC-AML-ENV-001: Azure / MLflow / Databricks credential environment variables assigned literals in
 *   scripts, .env files, Dockerfiles and pipeline YAML.
 * Values that are placeholders, references ($(x), ${{ secrets.x }}, ${VAR}, Key Vault), identifiers or tokens
 * with their own detector are skipped.
 */
import type { Detector, DetectorContext, SecretMatch } from '../types';
import { bareValuesAreLiterals, findAssignments, type Assignment } from './_assign';
import { lineEnd, lineStart } from './_boundaries';
import { keywords } from './_keywords';
import { hasDedicatedDetector, isVerifiedAzureKey } from './_known';
import { KEY_VAULT_PIPELINES, rotateAnd, secretRule } from './_meta';
import { entropyThreshold, isCredentialLiteral, looksLikeCode, looksLikeIdentifier, shannonEntropy } from './_values';

const SP = secretRule(
  'SEC-AML-SP-001',
  'Service principal secret set to a literal in ML code or configuration',
  'high',
  'A client secret in a script, notebook or YAML signs in as the service principal wherever the file travels (forks, logs, artifacts, model packages).',
  rotateAnd('client secret', 'In Azure ML use the compute\'s managed identity (ManagedIdentityCredential / DefaultAzureCredential); in pipelines use an Azure Resource Manager service connection with workload identity federation.'),
  [
    { title: 'Set up authentication for Azure Machine Learning resources and workflows', url: 'https://learn.microsoft.com/azure/machine-learning/how-to-setup-authentication' },
    KEY_VAULT_PIPELINES,
  ],
  ['azure', 'machine-learning', 'entra'],
);

const DATASTORE = secretRule(
  'SEC-AML-DATASTORE-001',
  'Datastore credential (account key or SAS token) set to a literal',
  'high',
  'An account key or SAS token in a datastore definition is committed with the code and stored in the workspace; identity-based datastores need neither.',
  rotateAnd('storage credential', 'Create the datastore without credentials (identity-based access) and grant the workspace or compute identity Storage Blob Data Reader/Contributor.'),
  [
    { title: 'Create datastores (Azure Machine Learning)', url: 'https://learn.microsoft.com/azure/machine-learning/how-to-datastore' },
    { title: 'Identity-based data access to storage services', url: 'https://learn.microsoft.com/azure/machine-learning/how-to-identity-based-service-authentication' },
  ],
  ['azure', 'machine-learning', 'storage'],
);

const CLI = secretRule(
  'SEC-AML-CLI-001',
  'Secret passed literally on an Azure CLI command line',
  'high',
  'A password, client secret, account key or SAS token typed into an az command in a script is committed with it and shows in shell history and process listings.',
  rotateAnd('credential', 'In pipelines use the AzureCLI task with a service connection (workload identity federation); locally use az login interactively or with a managed identity; read keys at run time from Key Vault.'),
  [{ title: 'Sign in with Azure CLI using a service principal', url: 'https://learn.microsoft.com/cli/azure/authenticate-azure-cli-service-principal' }, KEY_VAULT_PIPELINES],
  ['azure', 'cli'],
);

const ENV = secretRule(
  'SEC-AML-ENV-001',
  'Azure, MLflow or Databricks credential environment variable set to a literal',
  'high',
  'Environment variables such as AZURE_CLIENT_SECRET or MLFLOW_TRACKING_TOKEN are read by SDKs as credentials; setting them to literals in scripts, .env files or Dockerfiles commits the credential.',
  rotateAnd('credential', 'Set the variable from a pipeline secret or Key Vault at run time, or drop it and use managed identity (DefaultAzureCredential needs no secret on Azure compute).'),
  [
    { title: 'EnvironmentCredential (Azure Identity for Python)', url: 'https://learn.microsoft.com/python/api/azure-identity/azure.identity.environmentcredential' },
    { title: 'Configure MLflow for Azure Machine Learning', url: 'https://learn.microsoft.com/azure/machine-learning/how-to-use-mlflow-configure-tracking' },
    KEY_VAULT_PIPELINES,
  ],
  ['azure', 'machine-learning', 'mlflow'],
);

/** Normalized assignment names and the rule that owns them. */
const SP_NAMES = new Set(['clientsecret', 'serviceprincipalpassword', 'serviceprincipalsecret', 'spsecret', 'appsecret']);
const DATASTORE_NAMES = new Set(['accountkey', 'sastoken', 'storageaccountsastoken']);
export const ENV_NAMES = new Set([
  'azureclientsecret', 'armclientsecret', 'azurestoragekey', 'azurestorageaccountkey', 'azurestorageaccesskey',
  'azurestoragesastoken', 'mlflowtrackingpassword', 'mlflowtrackingtoken', 'databrickstoken', 'azuredevopsextpat',
  'azdopersonalaccesstoken', 'azurepassword', 'azureclientcertificatepassword', 'azuremlclientsecret',
]);
/** Every name this file owns, for the generic detector to leave alone. */
export const ML_CREDENTIAL_NAMES: ReadonlySet<string> = new Set([...SP_NAMES, ...DATASTORE_NAMES, ...ENV_NAMES]);

/** A literal worth reporting when a credential name points at it. */
function credibleValue(v: string): boolean {
  if (!isCredentialLiteral(v, 8) || looksLikeIdentifier(v) || looksLikeCode(v) || hasDedicatedDetector(v) || isVerifiedAzureKey(v)) return false;
  return shannonEntropy(v) >= entropyThreshold(v.length) - 0.7;
}

function literalAssignment(text: string, ctx: DetectorContext, a: Assignment): string | undefined {
  if (!a.quoted && !bareValuesAreLiterals(ctx.path)) return undefined;
  const v = text.slice(a.valueStart, a.valueEnd);
  return credibleValue(v) ? v : undefined;
}

/** Top-level arguments of the call whose '(' is at `open`, bounded to 800 characters. */
function callArguments(text: string, open: number): Array<[number, number]> {
  const args: Array<[number, number]> = [];
  const stop = Math.min(text.length, open + 800);
  let depth = 0;
  let quote = 0;
  let argStart = open + 1;
  for (let i = open + 1; i < stop; i++) {
    const c = text.charCodeAt(i);
    if (quote) {
      if (c === 92) i++;
      else if (c === quote) quote = 0;
      continue;
    }
    if (c === 34 || c === 39 || c === 96) quote = c;
    else if (c === 40 || c === 91 || c === 123) depth++;
    else if (c === 41 || c === 93 || c === 125) {
      if (depth === 0) {
        args.push([argStart, i]);
        return args;
      }
      depth--;
    } else if (c === 44 && depth === 0) {
      args.push([argStart, i]);
      argStart = i + 1;
    }
  }
  return [];
}

/** The inside of a string literal argument (trimmed), or undefined for any other expression. */
function stringArgument(text: string, [s, e]: [number, number]): [number, number] | undefined {
  while (s < e && text.charCodeAt(s) <= 32) s++;
  while (e > s && text.charCodeAt(e - 1) <= 32) e--;
  const q = text.charCodeAt(s);
  if (e - s < 2 || !(q === 34 || q === 39) || text.charCodeAt(e - 1) !== q) return undefined;
  return [s + 1, e - 1];
}

const SDK_WORD_LIST = ['client_secret', 'clientsecret', 'service_principal_password', 'serviceprincipalpassword', 'service_principal_secret', 'sp_secret', 'app_secret', 'appsecret', 'account_key', 'accountkey', 'sas_token', 'sastoken'];
const SDK_WORDS = keywords(SDK_WORD_LIST);

export const mlSdkCredentialDetector: Detector = {
  meta: SP,
  variants: [DATASTORE],
  anchors: [...SDK_WORD_LIST, 'ServicePrincipalAuthentication'],
  caseInsensitiveAnchors: true,
  patterns: [],
  scan(text, ctx): SecretMatch[] {
    const out: SecretMatch[] = [];
    const found = findAssignments(text, SDK_WORDS, (a) => SP_NAMES.has(a.key) || DATASTORE_NAMES.has(a.key));
    for (const a of found) {
      const v = literalAssignment(text, ctx, a);
      if (!v) continue;
      if (a.key.endsWith('sastoken') && v.includes('sig=')) continue; // the SAS detector reports the signature
      const sp = SP_NAMES.has(a.key);
      out.push({
        start: a.valueStart,
        end: a.valueEnd,
        ruleId: sp ? SP.id : DATASTORE.id,
        confidence: 'context',
        message: sp ? `Service principal secret set to a literal (${a.name}).` : `Datastore credential set to a literal (${a.name}).`,
      });
    }
    const seen = new Set(out.map((m) => m.start));
    for (const fn of ['ClientSecretCredential', 'ServicePrincipalAuthentication']) {
      for (let at = text.indexOf(fn); at !== -1; at = text.indexOf(fn, at + fn.length)) {
        let open = at + fn.length;
        while (text.charCodeAt(open) === 32) open++;
        if (text.charCodeAt(open) !== 40 /* ( */) continue;
        const args = callArguments(text, open);
        if (args.length < 3) continue;
        const lit = stringArgument(text, args[2]);
        if (!lit || seen.has(lit[0])) continue;
        // A keyword argument ("client_secret=...") in third place was handled as an assignment above.
        if (text.slice(args[2][0], lit[0]).includes('=')) continue;
        const v = text.slice(lit[0], lit[1]);
        if (!credibleValue(v)) continue;
        seen.add(lit[0]);
        out.push({ start: lit[0], end: lit[1], ruleId: SP.id, confidence: 'context', message: `Service principal secret passed as a literal to ${fn}(...).` });
      }
    }
    return out.sort((x, y) => x.start - y.start);
  },
};

/** Flags whose value is a secret, and whether they count only on `az login`. */
const CLI_FLAGS: Array<[flag: string, loginOnly: boolean]> = [
  ['--password', false],
  ['--client-secret', false],
  ['--account-key', false],
  ['--sas-token', false],
  ['-p', true],
];

/** The command line holding `pos`, joined over backslash / backtick / caret continuations (bounded). */
function commandLine(text: string, pos: number): [number, number] {
  let s = lineStart(text, pos, 2048);
  for (let n = 0; n < 8 && s > 1; n++) {
    const prevEnd = s - 1 - (text.charCodeAt(s - 2) === 13 ? 1 : 0);
    const last = text.charCodeAt(prevEnd - 1);
    if (last !== 92 && last !== 96 && last !== 94) break;
    s = lineStart(text, prevEnd - 1, 2048);
  }
  let e = lineEnd(text, pos, 2048);
  for (let n = 0; n < 8 && e < text.length; n++) {
    const last = text.charCodeAt(e - 1);
    if (last !== 92 && last !== 96 && last !== 94) break;
    e = lineEnd(text, e + 1 + (text.charCodeAt(e) === 13 && text.charCodeAt(e + 1) === 10 ? 1 : 0), 2048);
  }
  return [s, e];
}

/** Whether `line` runs an `az` command (at its start or after a shell separator / substitution). */
function azCommand(line: string): { login: boolean } | undefined {
  let i = line.indexOf('az ');
  while (i !== -1) {
    const p = i === 0 ? 32 : line.charCodeAt(i - 1);
    if (p === 32 || p === 9 || p === 40 || p === 59 || p === 38 || p === 124 || p === 34 || p === 39 || p === 96 || p === 10 || p === 62) {
      const rest = line.slice(i + 3).trimStart();
      return { login: rest.startsWith('login') };
    }
    i = line.indexOf('az ', i + 3);
  }
  return undefined;
}

export const mlCliDetector: Detector = {
  meta: CLI,
  anchors: ['az login', '--password', '--client-secret', '--account-key', '--sas-token'],
  patterns: [],
  scan(text): SecretMatch[] {
    const out: SecretMatch[] = [];
    const seen = new Set<number>();
    for (const [flag, loginOnly] of CLI_FLAGS) {
      const needle = flag + (flag === '-p' ? ' ' : '');
      for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + needle.length)) {
        const p = text.charCodeAt(at - 1);
        if (at > 0 && !(p === 32 || p === 9)) continue;
        let i = at + flag.length;
        const sep = text.charCodeAt(i);
        if (!(sep === 32 || sep === 9 || sep === 61)) continue;
        const [ls, le] = commandLine(text, at);
        const az = azCommand(text.slice(ls, le));
        if (!az || (loginOnly && !az.login)) continue;
        while (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9 || text.charCodeAt(i) === 61) i++;
        let start = i;
        let end: number;
        const q = text.charCodeAt(i);
        if (q === 34 || q === 39) {
          start = i + 1;
          end = start;
          while (end < le && text.charCodeAt(end) !== q) end++;
          if (end >= le) continue;
        } else {
          end = start;
          while (end < le && text.charCodeAt(end) > 32) end++;
        }
        const v = text.slice(start, end);
        if (seen.has(start) || !credibleValue(v)) continue;
        seen.add(start);
        out.push({ start, end, ruleId: CLI.id, confidence: 'context', message: `Secret passed literally to ${az.login ? 'az login' : 'an az command'} (${flag}).` });
      }
    }
    return out.sort((x, y) => x.start - y.start);
  },
};

/** Environment variables named in ENV_NAMES, as they are written (upper snake case). */
const ENV_WORDS = [
  'azure_client_secret', 'arm_client_secret', 'azure_storage_key', 'azure_storage_account_key', 'azure_storage_access_key',
  'azure_storage_sas_token', 'mlflow_tracking_password', 'mlflow_tracking_token', 'databricks_token', 'azure_devops_ext_pat',
  'azdo_personal_access_token', 'azure_password', 'azure_client_certificate_password', 'azureml_client_secret',
];

const ENV_PATTERN = keywords(ENV_WORDS);

/** `export X=v`, `set X=v`, `ENV X v` or `$env:X = v` lines: bare values are literals there, whatever the file. */
function shellAssignment(text: string, valueStart: number): boolean {
  const line = text.slice(lineStart(text, valueStart, 200), valueStart).trimStart();
  return line.startsWith('export ') || line.startsWith('set ') || line.startsWith('ENV ') || line.startsWith('$env:');
}

/** The legacy 88-character storage key form, which azureAccountKeys.ts reports next to these names. */
function isLegacyStorageKey(v: string): boolean {
  return v.length === 88 && v.endsWith('==');
}

export const mlEnvDetector: Detector = {
  meta: ENV,
  anchors: ENV_WORDS,
  caseInsensitiveAnchors: true,
  patterns: [],
  scan(text, ctx): SecretMatch[] {
    const out: SecretMatch[] = [];
    for (const a of findAssignments(text, ENV_PATTERN, (x) => ENV_NAMES.has(x.key))) {
      // Unquoted values are literals in shell, .env, Dockerfiles and YAML even inside code-like paths.
      const v = text.slice(a.valueStart, a.valueEnd);
      if (!a.quoted && !bareValuesAreLiterals(ctx.path) && !shellAssignment(text, a.valueStart)) continue;
      if (!credibleValue(v) || (a.key.includes('storage') && isLegacyStorageKey(v))) continue;
      out.push({ start: a.valueStart, end: a.valueEnd, ruleId: ENV.id, confidence: 'context', message: `Credential environment variable ${a.name} set to a literal.` });
    }
    return out;
  },
};
