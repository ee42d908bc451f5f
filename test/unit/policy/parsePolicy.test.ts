import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv from 'ajv';
import { defaultPolicy, loadPolicy, parsePolicy, PolicyError, closest } from '../../../shared/rules/policy';
import policySchema from '../../../shared/rules/policy.schema.json';

const IDS = ['AML-WS-001', 'AML-WS-010', 'AML-DS-001', 'AML-CMP-007', 'AML-CONN-002'];
const NOW = new Date('2026-06-01T12:00:00Z');
const FILE = '.mlops-gates.yml';

const GOOD = `# repository policy
version: 1
failOnSeverity: high
rules:
  AML-WS-010: { enabled: false }
  AML-CMP-007: { severity: medium }
options:
  sensitiveData: true
  connectionMaxLifetimeDays: 90
  allowedHosts: [core.windows.net]
waivers:
  - rule: AML-DS-001
    resource: "*/datastores/legacy*"
    owner: data-platform@contoso.com
    reason: Legacy feed, migration tracked in ADO#1234
    expires: 2027-01-31
warnBeforeExpiryDays: 7
`;

function errorOf(text: string, now = NOW): PolicyError {
  try {
    parsePolicy(text, FILE, IDS, now);
  } catch (e) {
    assert.ok(e instanceof PolicyError, `expected PolicyError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected the policy to be rejected');
}

describe('policy file: parsing', () => {
  it('reads every field of a good file and records waiver lines', () => {
    const p = parsePolicy(GOOD, FILE, IDS, NOW);
    assert.deepEqual(p, {
      version: 1,
      failOnSeverity: 'high',
      rules: { 'AML-WS-010': { enabled: false }, 'AML-CMP-007': { severity: 'medium' } },
      options: { sensitiveData: true, connectionMaxLifetimeDays: 90, allowedHosts: ['core.windows.net'] },
      waivers: [
        {
          rule: 'AML-DS-001',
          resource: '*/datastores/legacy*',
          owner: 'data-platform@contoso.com',
          reason: 'Legacy feed, migration tracked in ADO#1234',
          expires: '2027-01-31',
          line: 12,
        },
      ],
      warnBeforeExpiryDays: 7,
    });
  });

  it('fills defaults for a minimal file', () => {
    const p = parsePolicy('version: 1\n', FILE, IDS, NOW);
    assert.deepEqual(p, defaultPolicy());
    assert.equal(p.warnBeforeExpiryDays, 14);
    assert.equal(p.failOnSeverity, undefined);
  });

  // Each row: the file, then patterns every one of which the message must contain.
  const bad: Array<[string, string, RegExp[]]> = [
    ['empty file', '', [/\.mlops-gates\.yml: the file is empty/, /Fix: start it with `version: 1`/]],
    ['top level is a list', '- a\n', [/:1:1: expected an object/, /YAML mapping/]],
    ['YAML syntax error', 'version: 1\nrules: [\n', [/\.mlops-gates\.yml:\d+:\d+: YAML syntax/, /Fix: correct the YAML/]],
    ['duplicate key', 'version: 1\nversion: 1\n', [/:2:1: key "version" appears twice/, /keep only one/]],
    ['missing version', 'failOnSeverity: high\n', [/:1:1: version: required key is missing/, /Fix: add `version:`/]],
    ['wrong version', 'version: 2\n', [/:1:10: version: 2 is not supported/, /set it to 1/]],
    ['misspelled top-level key', 'version: 1\nrulez: {}\n', [/:2:1: rulez: unknown key "rulez"/, /did you mean rules\?/]],
    ['bad threshold', 'version: 1\nfailOnSeverity: hgh\n', [/:2:17: failOnSeverity: "hgh" is not an allowed value/, /use one of critical, high, medium, low, none/]],
    ['bad rule severity', 'version: 1\nrules:\n  AML-WS-001: { severity: severe }\n', [/:3:27: rules\.AML-WS-001\.severity: "severe" is not an allowed value/, /info/]],
    ['empty rule entry', 'version: 1\nrules:\n  AML-WS-001: {}\n', [/rules\.AML-WS-001: the entry sets nothing/, /set `enabled` or `severity`/]],
    ['unknown rule setting', 'version: 1\nrules:\n  AML-WS-001: { enable: false }\n', [/:3:17: rules\.AML-WS-001\.enable: unknown key/, /did you mean enabled\?/]],
    ['unknown option (typo)', 'version: 1\noptions:\n  allowedHost: [x.net]\n', [/:3:3: options\.allowedHost: unknown key/, /did you mean allowedHosts\?/]],
    ['quoted number', 'version: 1\nwarnBeforeExpiryDays: "14"\n', [/:2:23: warnBeforeExpiryDays: expected an integer, found "14"/, /without quotes/]],
    ['out of range', 'version: 1\noptions:\n  connectionMaxLifetimeDays: 0\n', [/:3:30: options\.connectionMaxLifetimeDays: 0 is out of range/, />= 1/]],
    ['host with scheme', 'version: 1\noptions:\n  allowedHosts: ["https://x.net/"]\n', [/options\.allowedHosts\[0\]: "https:\/\/x\.net\/" has the wrong form/, /host suffix/]],
    [
      'waiver missing owner',
      'version: 1\nwaivers:\n  - rule: AML-DS-001\n    reason: tracked in ADO#1\n    expires: 2026-12-31\n',
      [/:3:5: waivers\[0\]\.owner: required key is missing/, /Fix: add `owner:` \(Who answers/],
    ],
    [
      'waiver with a relative resource pattern',
      'version: 1\nwaivers:\n  - rule: AML-DS-001\n    resource: datastores/x\n    owner: team@x.org\n    reason: tracked in ADO#1\n    expires: 2026-12-31\n',
      [/:4:15: waivers\[0\]\.resource: "datastores\/x" has the wrong form/, /start it with "\/subscriptions\/" or with "\*"/],
    ],
    [
      'waiver date without quotes as a number',
      'version: 1\nwaivers:\n  - rule: AML-DS-001\n    owner: team@x.org\n    reason: tracked in ADO#1\n    expires: 20261231\n',
      [/:6:14: waivers\[0\]\.expires: expected a string/, /YYYY-MM-DD/],
    ],
    [
      'waiver date that does not exist',
      'version: 1\nwaivers:\n  - rule: AML-DS-001\n    owner: team@x.org\n    reason: tracked in ADO#1\n    expires: 2027-02-30\n',
      [/:6:14: waivers\[0\]\.expires: "2027-02-30" is not a calendar date/],
    ],
    [
      'waiver more than a year ahead',
      'version: 1\nwaivers:\n  - rule: AML-DS-001\n    owner: team@x.org\n    reason: tracked in ADO#1\n    expires: 2027-06-02\n',
      [/waivers\[0\]\.expires: "2027-06-02" is more than one year ahead \(latest allowed today: 2027-06-01\)/, /enabled: false/],
    ],
    [
      'waiver reason too short',
      'version: 1\nwaivers:\n  - rule: AML-DS-001\n    owner: team@x.org\n    reason: because\n    expires: 2026-12-31\n',
      [/:5:13: waivers\[0\]\.reason: "because" is too short/, /at least 10 characters/],
    ],
  ];
  for (const [name, text, patterns] of bad) {
    it(`rejects: ${name}`, () => {
      const e = errorOf(text);
      assert.match(e.message, /^Policy file \.mlops-gates\.yml cannot be used/);
      for (const p of patterns) assert.match(e.message, p);
      assert.ok(e.issues.length >= 1);
      for (const i of e.issues) assert.ok(i.fix.length > 0, 'every issue says how to fix it');
    });
  }

  it('accepts a waiver expiring exactly one year ahead', () => {
    const text = 'version: 1\nwaivers:\n  - rule: AML-DS-001\n    owner: team@x.org\n    reason: tracked in ADO#1\n    expires: 2027-06-01\n';
    assert.equal(parsePolicy(text, FILE, IDS, NOW).waivers[0].expires, '2027-06-01');
  });

  it('accepts an already expired waiver (it warns at apply time instead of breaking the pipeline)', () => {
    const text = 'version: 1\nwaivers:\n  - rule: AML-DS-001\n    owner: team@x.org\n    reason: tracked in ADO#1\n    expires: 2020-01-01\n';
    assert.equal(parsePolicy(text, FILE, IDS, NOW).waivers.length, 1);
  });

  it('names unknown rule ids with the closest known ids, in rules and in waivers', () => {
    const e = errorOf(
      'version: 1\nrules:\n  AML-WS-01: { enabled: false }\nwaivers:\n  - rule: aml-cmp-007\n    owner: team@x.org\n    reason: tracked in ADO#1\n    expires: 2026-12-31\n',
    );
    assert.equal(e.issues.length, 2);
    assert.match(e.message, /:3:3: rules\.AML-WS-01: unknown rule id "AML-WS-01"\. Fix: use a rule id from the catalog; closest known: AML-WS-001, AML-WS-010/);
    assert.match(e.message, /:5:11: waivers\[0\]\.rule: unknown rule id "aml-cmp-007".*closest known: AML-CMP-007/);
  });

  it('reports schema and catalog problems together, in file order', () => {
    const e = errorOf('version: 1\nrules:\n  AML-NOPE-999: { enabled: false }\nfailOnSeverity: hgh\n');
    assert.deepEqual(e.issues.map((i) => i.line), [3, 4]);
    assert.match(e.message, /\(2 problems\)/);
  });

  it('suggests nothing misleading for a far-off id', () => {
    assert.deepEqual(closest('TOTALLY-DIFFERENT', IDS), []);
    assert.deepEqual(closest('WS-010', IDS)[0], 'AML-WS-010');
  });
});

describe('policy file: loading', () => {
  let dir: string;
  before(() => { dir = mkdtempSync(join(tmpdir(), 'policy-test-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('returns the default policy when no path is given', () => {
    assert.deepEqual(loadPolicy(undefined, IDS), defaultPolicy());
    assert.deepEqual(loadPolicy('', IDS), defaultPolicy());
  });

  it('records the path and the sha256 of the bytes read', () => {
    const f = join(dir, 'good.yml');
    writeFileSync(f, GOOD);
    const p = loadPolicy(f, IDS, { now: NOW });
    assert.deepEqual(p.source, { path: f, sha256: createHash('sha256').update(GOOD).digest('hex') });
    assert.equal(p.waivers.length, 1);
  });

  it('fails on a configured path that does not exist, unless optional', () => {
    const f = join(dir, 'missing.yml');
    assert.throws(() => loadPolicy(f, IDS), (e: Error) => e instanceof PolicyError && e.message.includes(`${f}: the file does not exist`) && /Fix: create it/.test(e.message));
    assert.deepEqual(loadPolicy(f, IDS, { optional: true }), defaultPolicy());
  });

  it('fails on a directory and on bytes that are not UTF-8', () => {
    const d = join(dir, 'adir');
    mkdirSync(d);
    assert.throws(() => loadPolicy(d, IDS, { optional: true }), /the path is a directory\. Fix: point to the \.mlops-gates\.yml file itself/);
    const bin = join(dir, 'latin1.yml');
    writeFileSync(bin, Buffer.from([0x76, 0x65, 0x72, 0x3a, 0x20, 0xff, 0xfe, 0x0a]));
    assert.throws(() => loadPolicy(bin, IDS), /not valid UTF-8/);
  });

  it('names the file in validation errors', () => {
    const f = join(dir, 'bad.yml');
    writeFileSync(f, 'version: 1\nfailOnSeverity: sometimes\n');
    assert.throws(() => loadPolicy(f, IDS), (e: Error) => e.message.includes(`${f}:2:17: failOnSeverity`));
  });
});

describe('policy schema', () => {
  it('compiles in strict mode and documents every property', () => {
    new Ajv({ strict: true }).compile(policySchema);
    const undocumented: string[] = [];
    const walk = (node: unknown, at: string) => {
      if (!node || typeof node !== 'object') return;
      const n = node as Record<string, unknown>;
      if (n.properties) {
        for (const [k, v] of Object.entries(n.properties as Record<string, Record<string, unknown>>)) {
          if (typeof v.description !== 'string' || v.description.length < 10) undocumented.push(`${at}.${k}`);
          walk(v, `${at}.${k}`);
        }
      }
      if (n.definitions) for (const [k, v] of Object.entries(n.definitions as object)) walk(v, `#${k}`);
      if (n.items) walk(n.items, `${at}[]`);
    };
    walk(policySchema, '');
    assert.deepEqual(undocumented, []);
  });
});
