/**
 * `mlops-gates verify`: is this evidence bundle proof that these model files passed the required gates, recently,
 * signed by a key we trust? The verifier of ModelRegistryPromote (shared/evidence/verify.ts) on a command line:
 * offline with public keys, or reading Key Vault keys' public halves with the developer's sign-in.
 * Exit codes: 0 verified, 1 refused (every failure printed with its code), 2 usage error or the check could
 * not run (unreadable bundle or model, a Key Vault key that cannot be read): never "verified" by default.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError } from '../azure/cloud';
import { BundleError, describeModel, parseBundle, type EvidenceBundle } from '../evidence/bundle';
import { DigestError, digestModel, type FileDigest } from '../evidence/digests';
import { ed25519Verifier, KeyError, type Verifier } from '../evidence/keys';
import { modelDigest } from '../evidence/statement';
import { gateKebab } from '../evidence/tags';
import { verifyBundle, type VerifyResult } from '../evidence/verify';
import { trustedKeyVaultVerifier } from '../gates/evidenceKeyVault';
import { splitPublicKeys } from '../gates/promote/inputs';
import { InputError } from '../pipeline/inputs';
import { cliAzure } from './azureLogin';
import { wrap } from './taskFlags';
import { EXIT, Redactor, reportError } from './terminal';

export const VERIFY_SUMMARY = 'verify an evidence bundle against model files and trusted keys';

/** Matches ModelRegistryPromote's defaults (requiredGates, maxEvidenceAgeDays), so both judge a bundle alike. */
export const VERIFY_DEFAULTS = { require: ['security-gate'], maxAgeDays: 30 } as const;

const para = (text: string) => wrap(text, 100).join('\n');

export const VERIFY_USAGE = [
  'Usage: mlops-gates verify --bundle <file> --model <dir|file> (--trusted-public-key <pem|file> | --trusted-key-vault-key <url>)... [options]',
  '',
  para('Verifies an evidence bundle (the gates\' signed DSSE envelopes) against the model files in hand, as ModelRegistryPromote does before it promotes: every signature by a trusted key, every file digest, every required gate passed in its newest run, and the age of the evidence. Every check runs; every failure is printed with its code.'),
  '',
  'Options:',
  `  ${'--bundle <file>'.padEnd(36)} the evidence bundle (required)`,
  `  ${'--model <dir|file>'.padEnd(36)} the model folder or file the evidence must be about (required)`,
  `  ${'--trusted-public-key <pem|file>'.padEnd(36)} an Ed25519 public key: a file holding SPKI PEM or base64 keys, or the key`,
  `  ${''.padEnd(36)} itself (a PEM as --trusted-public-key="$(cat key.pem)") (repeatable)`,
  `  ${'--trusted-key-vault-key <url>'.padEnd(36)} a Key Vault key id, https://<vault>/keys/<name>/<version> (repeatable); its`,
  `  ${''.padEnd(36)} public key is read with your sign-in (below), the signature checked here`,
  `  ${'--require <gate>'.padEnd(36)} a gate that must have passed, e.g. security-gate, endpoint-hardening-check`,
  `  ${''.padEnd(36)} or SecurityGate (repeatable; default: ${VERIFY_DEFAULTS.require.join(', ')})`,
  `  ${'--max-age-days <n>'.padEnd(36)} oldest evidence accepted, in days (default: ${VERIFY_DEFAULTS.maxAgeDays})`,
  `  ${'--json <path>'.padEnd(36)} also write the result as JSON there (checks, failures with codes, gates)`,
  `  ${'--management-url <url>'.padEnd(36)} Azure Resource Manager URL of the cloud (default: $AZURE_RESOURCE_MANAGER_URL)`,
  `  ${'-q, --quiet'.padEnd(36)} print only the failures and the verdict`,
  `  ${'-h, --help'.padEnd(36)} this text`,
  '',
  para('Sign-in (only for --trusted-key-vault-key; Key Vault "Key Vault Crypto User" or keys/get is enough): a service principal when AZURE_CLIENT_ID, AZURE_TENANT_ID and AZURE_CLIENT_SECRET (or AZURE_CLIENT_CERTIFICATE_PATH) are set; otherwise your Azure CLI login (az login). A Key Vault token goes only to vaults of the cloud\'s Key Vault domain: vault.azure.net and the other public clouds\' by --management-url, else AZURE_KEYVAULT_DNS_SUFFIX (with AZURE_KEYVAULT_RESOURCE, the token audience).'),
  '',
  para('Outputs: one line per check ("ok ...") and per failure ("FAIL <code>: <reason>") on stdout, then the verdict; with --json, the same as JSON.'),
  '',
  'Exit codes: 0 verified, 1 refused (at least one failure; nothing about the bundle is to be trusted), 2 usage error,',
  'or the check could not run (bundle or model unreadable, a Key Vault key that cannot be read): fails closed.',
].join('\n');

const OPTIONS = {
  bundle: { type: 'string' },
  model: { type: 'string' },
  'trusted-public-key': { type: 'string', multiple: true },
  'trusted-key-vault-key': { type: 'string', multiple: true },
  require: { type: 'string', multiple: true },
  'max-age-days': { type: 'string' },
  json: { type: 'string' },
  'management-url': { type: 'string' },
  quiet: { type: 'boolean', short: 'q' },
  help: { type: 'boolean', short: 'h' },
} as const;

function parseFlags(argv: string[]) {
  return parseArgs({ args: argv, options: OPTIONS, allowPositionals: false, strict: true }).values;
}

export interface VerifyCommandOptions {
  env?: Record<string, string | undefined>;
  cwd?: string;
  now?: () => Date;
}

/** What --json holds. */
export interface VerifyReport {
  schema: 'mlops-gates.verify-result/1';
  verdict: 'verified' | 'refused' | 'error';
  bundle: string;
  modelPath: string;
  /** The model the bundle names (absent when it cannot be parsed). */
  model?: EvidenceBundle['model'];
  modelDigest?: string;
  files?: FileDigest[];
  trustedKeys: Array<{ keyid: string; algorithm: string }>;
  requiredGates: string[];
  maxAgeDays: number;
  checkedAt: string;
  checks: string[];
  failures: VerifyResult['failures'];
  gates: VerifyResult['gates'];
  /** Why the check could not run (verdict error). */
  error?: string;
}

const PREFIX = 'mlops-gates verify';

export async function verifyCommand(argv: string[], opts: VerifyCommandOptions = {}): Promise<number> {
  const env = opts.env ?? process.env;
  const cwd = opts.cwd ?? process.cwd();
  const usageError = (message: string) => {
    process.stderr.write(`${PREFIX}: ${message}\nRun 'mlops-gates verify --help' for its options.\n`);
    return EXIT.error;
  };
  let values: ReturnType<typeof parseFlags>;
  try {
    values = parseFlags(argv);
  } catch (err) {
    return usageError((err as Error).message);
  }
  if (values.help) {
    process.stdout.write(`${VERIFY_USAGE}\n`);
    return EXIT.clean;
  }
  if (!values.bundle?.trim()) return usageError('--bundle is required: the evidence bundle file to verify.');
  if (!values.model?.trim()) return usageError('--model is required: the model folder or file the evidence must be about.');
  const publicKeys = values['trusted-public-key'] ?? [];
  const vaultKeys = (values['trusted-key-vault-key'] ?? []).map((k) => k.trim()).filter(Boolean);
  if (!publicKeys.length && !vaultKeys.length) return usageError('give at least one trusted key: --trusted-public-key <pem|file> or --trusted-key-vault-key <url>.');
  const maxAgeDays = values['max-age-days'] === undefined ? VERIFY_DEFAULTS.maxAgeDays : Number(values['max-age-days']);
  if (!Number.isFinite(maxAgeDays) || maxAgeDays <= 0) return usageError(`--max-age-days has the value '${values['max-age-days']}'; use a number of days above 0, e.g. 30.`);
  const requiredGates = (values.require ?? []).flatMap((g) => g.split(',')).map((g) => g.trim()).filter(Boolean);
  const required = requiredGates.length ? requiredGates : [...VERIFY_DEFAULTS.require];
  for (const g of required) if (!/^[A-Za-z][A-Za-z0-9 _.-]{0,99}$/.test(g)) return usageError(`--require has the value '${g}'; name a gate, e.g. security-gate or SecurityGate.`);

  const quiet = Boolean(values.quiet);
  const redactor = new Redactor();
  const bundlePath = resolve(cwd, values.bundle);
  const modelPath = resolve(cwd, values.model);
  const now = (opts.now ?? (() => new Date()))();
  const report: VerifyReport = {
    schema: 'mlops-gates.verify-result/1', verdict: 'error', bundle: bundlePath, modelPath, trustedKeys: [],
    requiredGates: required, maxAgeDays, checkedAt: now.toISOString(), checks: [], failures: [], gates: {},
  };
  const out = (line: string) => process.stdout.write(`${redactor.redact(line)}\n`);
  const ok = (check: string) => {
    report.checks.push(check);
    if (!quiet) out(`ok   ${check}`);
  };
  const writeJson = async () => {
    if (!values.json) return;
    const path = resolve(cwd, values.json);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, `${JSON.stringify(report, null, 2)}\n`);
    if (!quiet) process.stderr.write(`JSON: ${values.json}\n`);
  };

  try {
    let trusted: Verifier[];
    try {
      trusted = publicKeys.flatMap((k) => publicKeyTexts(k, cwd)).map((text) => ed25519Verifier(text));
    } catch (err) {
      if (err instanceof KeyError || err instanceof InputError) return usageError(`--trusted-public-key: ${err.message}.`);
      throw err;
    }
    if (vaultKeys.length) trusted.push(...(await vaultVerifiers(vaultKeys, values['management-url'], env, redactor, quiet)));
    report.trustedKeys = trusted.map((k) => ({ keyid: k.keyid, algorithm: k.algorithm }));

    const text = await readFile(bundlePath).catch((e: NodeJS.ErrnoException) => {
      throw new InputError('bundle', `--bundle names '${bundlePath}', which cannot be read (${e.code ?? e.message}).`);
    });
    const files = await digestModel(modelPath);
    report.files = files;
    report.modelDigest = modelDigest(files);
    const result = await verifyBundle(text, { files, trustedKeys: trusted, requiredGates: required, maxAgeDays, now });
    report.failures = result.failures;
    report.gates = result.gates;
    report.verdict = result.ok ? 'verified' : 'refused';

    let bundle: EvidenceBundle | undefined;
    try {
      bundle = parseBundle(text);
      report.model = bundle.model;
    } catch (e) {
      if (!(e instanceof BundleError)) throw e;
    }
    for (const line of checkLines(bundle, values.bundle, values.model, report, result, now)) ok(line);
    for (const f of result.failures) out(`FAIL ${f.code}: ${f.message}`);
    await writeJson();
    if (result.ok) {
      out(`Verified: ${bundle ? describeModel(bundle.model) : 'the bundle'} passed ${Object.keys(result.gates).join(', ')}; files match; signed by trusted keys.`);
      return EXIT.clean;
    }
    out(`Refused: ${result.failures.length} failure${result.failures.length === 1 ? '' : 's'} (${[...new Set(result.failures.map((f) => f.code))].join(', ')}).`);
    return EXIT.findings;
  } catch (err) {
    // Could not judge: nothing is verified. The JSON (if asked for) says why, as the gates' outputs do.
    const why = err instanceof DigestError || err instanceof BundleError || err instanceof KeyError ? err.message : undefined;
    report.verdict = 'error';
    report.error = redactor.redact(why ?? (err as Error)?.message ?? String(err));
    await writeJson().catch(() => undefined);
    if (why) {
      process.stderr.write(`${PREFIX}: ${redactor.redact(why)}; not verified (fails closed).\n`);
      return EXIT.error;
    }
    return reportError(err, (m) => `${m} Not verified (fails closed).`, redactor, PREFIX);
  }
}

/**
 * A --trusted-public-key value: the key itself (PEM or base64), or a file holding one or more PEM blocks or
 * base64 lines. A value that is neither a key nor an existing file is passed on, so the key parser names it.
 */
export function publicKeyTexts(value: string, cwd: string): string[] {
  const v = value.trim();
  if (!v) throw new InputError('trustedPublicKey', 'an empty value');
  if (!v.includes('-----BEGIN')) {
    const path = resolve(cwd, v);
    if (existsSync(path) && statSync(path).isFile()) {
      const keys = splitPublicKeys(readFileSync(path, 'utf8'));
      if (!keys.length) throw new InputError('trustedPublicKey', `the file ${v} holds no key`);
      return keys;
    }
    if (/[/\\]|\.pem$|\.pub$/i.test(v)) throw new InputError('trustedPublicKey', `'${v}' is not an existing file, nor a PEM or base64 key`);
  }
  return splitPublicKeys(v);
}

/** Key Vault keys' public halves, read with the CLI sign-in; the token goes only to the cloud's Key Vault domain. */
async function vaultVerifiers(keyIds: string[], managementUrl: string | undefined, env: Record<string, string | undefined>, redactor: Redactor, quiet: boolean): Promise<Verifier[]> {
  const azure = cliAzure({ subscriptionId: env.AZURE_SUBSCRIPTION_ID?.trim() ?? '', managementUrl, env, mask: (s) => redactor.add(s) });
  if (!quiet) process.stderr.write(`Signing in as ${azure.signIn} to read ${keyIds.length} Key Vault key${keyIds.length === 1 ? '' : 's'}.\n`);
  const out: Verifier[] = [];
  for (const keyId of keyIds) {
    checkVaultUrl(keyId);
    out.push(await trustedKeyVaultVerifier(keyId, azure, '--trusted-key-vault-key').catch((e: unknown) => {
      if (e instanceof ConfigError && /Key Vault/.test(e.message) && /not a Key Vault|does not say where/.test(e.message)) {
        throw new ConfigError(`${e.message} For another cloud set AZURE_KEYVAULT_DNS_SUFFIX (and AZURE_KEYVAULT_RESOURCE, the token audience).`);
      }
      throw e;
    }));
  }
  return out;
}

/** A usage error (exit 2) for what is not an https URL, before any sign-in is attempted. */
function checkVaultUrl(keyId: string): void {
  let url: URL;
  try {
    url = new URL(keyId);
  } catch {
    throw new ConfigError(`--trusted-key-vault-key has the value '${keyId}', which is not a URL; use https://<vault>.vault.azure.net/keys/<name>/<version>.`);
  }
  if (url.protocol !== 'https:') throw new ConfigError(`--trusted-key-vault-key ${keyId}: tokens are only sent over https; use an https URL.`);
}

/** What passed, one line each, in the order the verifier checks: bundle, keys, files, gates, age. */
function checkLines(bundle: EvidenceBundle | undefined, bundleArg: string, modelArg: string, report: VerifyReport, result: VerifyResult, now: Date): string[] {
  const lines: string[] = [];
  const codes = new Set(result.failures.map((f) => f.code));
  if (bundle) lines.push(`bundle ${bundleArg}: ${bundle.envelopes.length} envelope${bundle.envelopes.length === 1 ? '' : 's'} for ${describeModel(bundle.model)}`);
  lines.push(`model ${modelArg}: ${report.files!.length} file${report.files!.length === 1 ? '' : 's'}, model digest ${report.modelDigest}`);
  lines.push(`trusted keys: ${report.trustedKeys.map((k) => `${k.keyid} (${k.algorithm})`).join(', ')}`);
  for (const [gate, g] of Object.entries(result.gates)) {
    lines.push(`signature: envelope ${g.envelope} (${gate}, ${g.verdict}) signed by trusted key ${g.keyid}`);
  }
  const fileCodes = ['digest-mismatch', 'missing-file', 'extra-file'] as const;
  if (Object.keys(result.gates).length && !fileCodes.some((c) => codes.has(c))) lines.push(`files: all ${report.files!.length} match the signed digests`);
  for (const req of report.requiredGates) {
    const hit = Object.entries(result.gates).find(([g]) => gateKebab(g) === gateKebab(req));
    if (hit && hit[1].verdict === 'passed') lines.push(`required gate ${req}: passed (${hit[0]}, finished ${hit[1].finishedAt})`);
  }
  for (const [gate, g] of Object.entries(result.gates)) {
    const days = (now.getTime() - Date.parse(g.finishedAt)) / 86_400_000;
    if (!result.failures.some((f) => (f.code === 'stale' || f.code === 'future-record') && f.gate === gate)) lines.push(`age: ${gate} evidence is ${days.toFixed(1)} days old (at most ${report.maxAgeDays})`);
  }
  return lines;
}
