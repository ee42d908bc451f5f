/** `mlops-gates scan <path>`: the content scan of SecurityGate on a folder, for a laptop or a pre-commit hook. */
import { mkdtempSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parseSecurityGateInputs } from '../gates/securityGate/inputs';
import { runSecurityGate } from '../gates/securityGate/run';
import { writeBaseline } from '../scan/baseline';
import { copyStaged } from '../scan/stagedFiles';
import { PRODUCT } from '../gates/product';
import { formatFindings } from './format';
import { EXIT, EXIT_CODES_HELP, reportError, terminalHost } from './terminal';

export const SCAN_USAGE = `Usage: mlops-gates scan <path> [options]

Scans files, notebooks (outputs too), model files and ARM templates for leaked secrets and unsafe content.

Options:
  --sarif <file>            write the SARIF 2.1.0 log there
  --fail-on <severity>      critical | high | medium | low | none (default: high)
  --include <glob>          only these files (repeatable; relative to <path>)
  --exclude <glob>          skip these files (repeatable)
  --baseline <file>         findings listed there are known and do not fail
  --write-baseline <file>   write every current finding to a baseline file, then exit 0
  --policy <file>           policy file (default: <path>/.mlops-gates.yml when present)
  --no-models               do not analyse model files
  --staged                  only the files staged for the next commit, as staged (for a git pre-commit hook)
  -q, --quiet               print only findings at or above the threshold
  -h, --help                this text
  --version                 the version

${EXIT_CODES_HELP}`;

/**
 * @param usage what `--help` and usage errors print (the top-level text, which also lists the other commands)
 */
export async function scanCommand(argv: string[], usage: string = SCAN_USAGE): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        sarif: { type: 'string' },
        'fail-on': { type: 'string' },
        include: { type: 'string', multiple: true },
        exclude: { type: 'string', multiple: true },
        baseline: { type: 'string' },
        'write-baseline': { type: 'string' },
        policy: { type: 'string' },
        'no-models': { type: 'boolean' },
        staged: { type: 'boolean' },
        quiet: { type: 'boolean', short: 'q' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean' },
      },
    });
  } catch (err) {
    process.stderr.write(`mlops-gates: ${(err as Error).message}\n\n${usage}\n`);
    return EXIT.error;
  }
  const { values: o, positionals } = args;
  if (o.help) { process.stdout.write(`${usage}\n`); return EXIT.clean; }
  if (o.version) { process.stdout.write(`${PRODUCT.version}\n`); return EXIT.clean; }
  const [command, target, ...extra] = positionals;
  if (command !== 'scan' || !target || extra.length) {
    process.stderr.write(`mlops-gates: ${command && command !== 'scan' ? `unknown command '${command}'` : 'say what to scan'}\n\n${usage}\n`);
    return EXIT.error;
  }

  const cwd = process.cwd();
  const root = resolve(cwd, target);
  if (o.staged && o['write-baseline']) {
    process.stderr.write(`mlops-gates: --write-baseline records every finding of the tree, so it cannot be combined with --staged\n\n${usage}\n`);
    return EXIT.error;
  }
  // Private (0700) and removed on the way out: with --staged it holds copies of the staged files, secrets included.
  const work = mkdtempSync(join(tmpdir(), 'mlops-gates-'));
  try {
    return await scan(o, root, cwd, work);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

type ScanFlags = { sarif?: string; 'fail-on'?: string; include?: string[]; exclude?: string[]; baseline?: string; 'write-baseline'?: string; policy?: string; 'no-models'?: boolean; staged?: boolean; quiet?: boolean };

const OPTION_OF: Record<string, string> = { scanPath: '<path>', include: '--include', exclude: '--exclude', baselineFile: '--baseline', policyFile: '--policy', failOnSeverity: '--fail-on', sarifOutput: '--sarif' };

async function scan(o: ScanFlags, root: string, cwd: string, work: string): Promise<number> {
  const flag: Record<string, string | undefined> = {
    auditWorkspace: 'false',
    scanRepository: 'true',
    scanPath: root,
    include: o.include?.join('\n'),
    exclude: o.exclude?.join('\n'),
    baselineFile: o.baseline,
    scanModels: o['no-models'] ? 'false' : 'true',
    policyFile: o.policy,
    failOnSeverity: o['fail-on'],
    sarifOutput: o.sarif ? resolve(cwd, o.sarif) : join(work, 'scan.sarif'),
  };
  const host = terminalHost(Boolean(o.quiet));
  try {
    const inputs = parseSecurityGateInputs((n) => flag[n], { baseDir: cwd, outputDir: work, exists: existsSync });
    if (!inputs.policyFile && existsSync(join(root, '.mlops-gates.yml'))) inputs.policyFile = join(root, '.mlops-gates.yml');
    if (o.staged && inputs.scan) {
      const staged = await copyStaged(root, join(work, 'staged'));
      host.info(`${staged.files} staged file${staged.files === 1 ? '' : 's'} under ${root}.`);
      inputs.scan = { ...inputs.scan, path: staged.root, stagedFrom: root };
    }
    const r = await runSecurityGate(inputs, { host, tempDir: work, context: {}, evidencePath: join(work, 'scan.evidence.json') });
    if (o['write-baseline']) {
      const base = writeBaseline(resolve(cwd, o['write-baseline']), [...r.outcome.active, ...r.outcome.waived, ...(r.scan?.known ?? [])]);
      process.stderr.write(`Wrote ${base.fingerprints.length} findings to ${o['write-baseline']}.\n`);
      return EXIT.clean;
    }
    process.stdout.write(formatFindings(r.outcome, { quiet: Boolean(o.quiet), known: r.scan?.known.length ?? 0 }));
    if (o.sarif) host.info(`SARIF: ${inputs.sarifOutput}`);
    return r.verdict === 'failed' ? EXIT.findings : EXIT.clean;
  } catch (err) {
    return reportError(err, (m) => m.replace(/Input '(\w+)'/g, (_, n: string) => `${OPTION_OF[n] ?? n}`));
  }
}
