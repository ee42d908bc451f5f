/**
 * scripts/sbom.mjs: the pieces on synthetic input, then the SBOMs of the real bundles: CycloneDX 1.5 shape
 * (a subset of the official schema, written out here: the test runs offline) and exactly the packages
 * esbuild put into the shipped files.
 */
import Ajv from 'ajv';
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleRealTasks, type Bundled } from './bundled';
import { loadScript, REPO } from './repo';

interface SbomScript {
  packageOfInput(p: string): { root: string; name: string } | undefined;
  bundledPackages(meta: unknown): Map<string, { root: string; name: string; bytes: number }>;
  resolveFrom(root: string, dep: string, exists: (p: string) => boolean): string | undefined;
  integrityHash(i: string): { alg: string; content: string } | undefined;
  purl(name: string, version: string): string;
  licenses(pj: unknown): unknown[] | undefined;
  contentUuid(text: string): string;
  buildSbom(args: Record<string, unknown>): any;
  writeSboms(args: Record<string, unknown>): Record<string, string>;
}

const HEX = (n: number) => `^[0-9a-f]{${n}}$`;
/** The parts of bom-1.5.schema.json our SBOMs use, with its patterns and enums. */
const CYCLONEDX_15_SUBSET = {
  type: 'object',
  required: ['bomFormat', 'specVersion', 'serialNumber', 'version', 'metadata', 'components', 'dependencies'],
  additionalProperties: false,
  properties: {
    bomFormat: { const: 'CycloneDX' },
    specVersion: { const: '1.5' },
    serialNumber: { type: 'string', pattern: '^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$' },
    version: { type: 'integer', minimum: 1 },
    metadata: {
      type: 'object', additionalProperties: false, required: ['component'],
      properties: {
        tools: { type: 'object', properties: { components: { type: 'array', items: { $ref: '#/definitions/component' } } } },
        component: { $ref: '#/definitions/component' },
      },
    },
    components: { type: 'array', items: { $ref: '#/definitions/component' } },
    dependencies: {
      type: 'array',
      items: { type: 'object', required: ['ref'], additionalProperties: false, properties: { ref: { type: 'string', minLength: 1 }, dependsOn: { type: 'array', uniqueItems: true, items: { type: 'string' } } } },
    },
  },
  definitions: {
    component: {
      type: 'object', required: ['type', 'name'], additionalProperties: false,
      properties: {
        type: { enum: ['application', 'framework', 'library', 'container', 'platform', 'operating-system', 'device', 'device-driver', 'firmware', 'file', 'machine-learning-model', 'data'] },
        'bom-ref': { type: 'string', minLength: 1 },
        group: { type: 'string' }, name: { type: 'string', minLength: 1 }, version: { type: 'string' }, description: { type: 'string' },
        purl: { type: 'string', pattern: '^pkg:npm/[^@]+@.+$' },
        hashes: {
          type: 'array',
          items: {
            type: 'object', required: ['alg', 'content'], additionalProperties: false,
            properties: {
              alg: { enum: ['MD5', 'SHA-1', 'SHA-256', 'SHA-384', 'SHA-512', 'SHA3-256', 'SHA3-384', 'SHA3-512', 'BLAKE2b-256', 'BLAKE2b-384', 'BLAKE2b-512', 'BLAKE3'] },
              content: { type: 'string', pattern: '^([a-fA-F0-9]{32}|[a-fA-F0-9]{40}|[a-fA-F0-9]{64}|[a-fA-F0-9]{96}|[a-fA-F0-9]{128})$' },
            },
          },
        },
        licenses: {
          type: 'array',
          items: {
            oneOf: [
              { type: 'object', required: ['license'], additionalProperties: false, properties: { license: { type: 'object', oneOf: [{ required: ['id'] }, { required: ['name'] }] } } },
              { type: 'object', required: ['expression'], additionalProperties: false, properties: { expression: { type: 'string' } } },
            ],
          },
        },
        externalReferences: { type: 'array', items: { type: 'object', required: ['type', 'url'], properties: { type: { enum: ['vcs', 'distribution', 'website', 'issue-tracker', 'documentation', 'license', 'other'] }, url: { type: 'string' } } } },
        properties: { type: 'array', items: { type: 'object', required: ['name', 'value'], additionalProperties: false, properties: { name: { type: 'string' }, value: { type: 'string' } } } },
      },
    },
  },
};

/** A metafile with one output per key, each listing { input: bytesInOutput }. */
function meta(outputs: Record<string, Record<string, number>>, imports: Record<string, string[]> = {}) {
  return {
    inputs: Object.fromEntries(Object.entries(imports).map(([f, to]) => [f, { imports: to.map((p) => ({ path: p, kind: 'require-call' })) }])),
    outputs: Object.fromEntries(Object.entries(outputs).map(([o, inputs]) => [o, { inputs: Object.fromEntries(Object.entries(inputs).map(([i, b]) => [i, { bytesInOutput: b }])) }])),
  };
}

describe('scripts/sbom.mjs', () => {
  let s: SbomScript;
  before(async () => { s = await loadScript<SbomScript>('sbom.mjs'); });

  it('counts packages with bytes in shipped .js files only (no maps, no tree-shaken inputs, no lazy stubs)', () => {
    const m = meta({
      'dist/tasks/T/index.js': { 'node_modules/a/index.js': 10, 'node_modules/b/x.js': 0, 'lazy-stub:node_modules/c/index.js': 50, 'shared/x.ts': 99 },
      'dist/tasks/T/index.js.map': { 'node_modules/d/index.js': 10 },
      'dist/tasks/T/sdk.js': { 'node_modules/a/node_modules/@s/e/lib/y.js': 5, 'node_modules/a/other.js': 1 },
    });
    const got = s.bundledPackages(m);
    assert.deepEqual([...got.keys()].sort(), ['node_modules/a', 'node_modules/a/node_modules/@s/e']);
    assert.equal(got.get('node_modules/a')!.bytes, 11);
    assert.equal(got.get('node_modules/a/node_modules/@s/e')!.name, '@s/e');
  });

  it('resolves a dependency as Node would: nested copy first, then each parent', () => {
    const have = new Set(['node_modules/a/node_modules/b', 'node_modules/b', 'node_modules/c']);
    const exists = (p: string) => have.has(p);
    assert.equal(s.resolveFrom('node_modules/a', 'b', exists), 'node_modules/a/node_modules/b');
    assert.equal(s.resolveFrom('node_modules/a/node_modules/b', 'c', exists), 'node_modules/c');
    assert.equal(s.resolveFrom('node_modules/a', 'zzz', exists), undefined);
  });

  it('turns npm integrity into a hex hash, and names packages by purl', () => {
    const digest = createHash('sha512').update('x').digest();
    assert.deepEqual(s.integrityHash(`sha512-${digest.toString('base64')}`), { alg: 'SHA-512', content: digest.toString('hex') });
    assert.equal(s.integrityHash('md5-abc'), undefined);
    assert.equal(s.purl('@azure/identity', '4.13.1'), 'pkg:npm/%40azure/identity@4.13.1');
    assert.equal(s.purl('yaml', '2.9.1'), 'pkg:npm/yaml@2.9.1');
  });

  it('maps package.json licenses to SPDX ids, expressions or names', () => {
    assert.deepEqual(s.licenses({ license: 'MIT' }), [{ license: { id: 'MIT' } }]);
    assert.deepEqual(s.licenses({ license: '(MIT OR Apache-2.0)' }), [{ expression: '(MIT OR Apache-2.0)' }]);
    assert.deepEqual(s.licenses({ licenses: [{ type: 'MIT' }, { type: 'Apache-2.0' }] }), [{ expression: 'MIT OR Apache-2.0' }]);
    assert.deepEqual(s.licenses({ license: 'SEE LICENSE IN LICENSE.txt' }), [{ license: { name: 'SEE LICENSE IN LICENSE.txt' } }]);
    assert.equal(s.licenses({}), undefined);
  });

  it('derives the serial number from the content: same input, same SBOM bytes', () => {
    const args = () => ({
      task: { name: 'T', version: '1.2.3' },
      metafile: meta({ 'dist/tasks/T/index.js': { 'node_modules/a/index.js': 10 } }, { 'shared/x.ts': ['node_modules/a/index.js'] }),
      lock: { packages: { 'node_modules/a': { version: '1.0.0', integrity: `sha512-${createHash('sha512').update('a').digest('base64')}`, resolved: 'https://registry.npmjs.org/a/-/a-1.0.0.tgz' } } },
      readPackageJson: () => ({ name: 'a', version: '1.0.0', license: 'MIT' }),
      shipped: [{ path: 'index.js', sha256: 'a'.repeat(64), bytes: 10 }],
    });
    const one = s.buildSbom(args());
    assert.equal(JSON.stringify(one), JSON.stringify(s.buildSbom(args())));
    assert.match(one.serialNumber, /^urn:uuid:[0-9a-f-]{36}$/);
    assert.deepEqual(one.dependencies[0], { ref: 'task:T', dependsOn: ['node_modules/a'] });
    const changed = args();
    changed.shipped[0].sha256 = 'b'.repeat(64);
    assert.notEqual(s.buildSbom(changed).serialNumber, one.serialNumber);
  });

  describe('SBOMs of the real bundles', function () {
    this.timeout(180_000);
    let bundled: Bundled;
    let written: Record<string, string>;
    before(async () => {
      bundled = await bundleRealTasks();
      const taskDirs = Object.fromEntries(Object.keys(bundled.meta.tasks).map((n) => [n, join(bundled.dist, 'tasks', n)]));
      written = s.writeSboms({ root: REPO, distDir: bundled.dist, taskDirs });
    });

    it('are CycloneDX 1.5 documents (schema subset)', () => {
      const validate = new Ajv({ allErrors: true, strict: false }).compile<any>(CYCLONEDX_15_SUBSET);
      for (const [name, file] of Object.entries(written)) {
        const bom: any = JSON.parse(readFileSync(file, 'utf8'));
        assert.ok(validate(bom), `${name}: ${JSON.stringify(validate.errors?.slice(0, 3))}`);
        const refs = new Set([bom.metadata.component['bom-ref'], ...bom.components.map((c: any) => c['bom-ref'])]);
        assert.equal(refs.size, bom.components.length + 1, `${name}: bom-refs must be unique`);
        for (const d of bom.dependencies) for (const r of [d.ref, ...(d.dependsOn ?? [])]) assert.ok(refs.has(r), `${name}: dependency on unknown ref ${r}`);
      }
    });

    it('list exactly the packages esbuild put into the shipped files, with their installed version and tarball hash', () => {
      const lock = JSON.parse(readFileSync(join(REPO, 'package-lock.json'), 'utf8'));
      for (const [name, file] of Object.entries(written)) {
        const bom = JSON.parse(readFileSync(file, 'utf8'));
        const metafile = JSON.parse(readFileSync(join(bundled.dist, 'metafiles', `${name}.json`), 'utf8'));
        const expected = new Set<string>();
        for (const [out, o] of Object.entries<any>(metafile.outputs)) {
          if (!out.endsWith('.js')) continue;
          for (const [input, v] of Object.entries<any>(o.inputs)) {
            const m = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
            if (m && !input.startsWith('lazy-stub:') && v.bytesInOutput > 0) expected.add(m[1]);
          }
        }
        const libs = bom.components.filter((c: any) => c.type === 'library');
        assert.deepEqual(libs.map((c: any) => c['bom-ref']).sort(), [...expected].sort(), name);
        assert.ok(libs.some((c: any) => c.name === 'azure-pipelines-task-lib'), `${name}: task-lib missing`);
        for (const c of libs) {
          const installed = JSON.parse(readFileSync(join(REPO, c['bom-ref'], 'package.json'), 'utf8'));
          assert.equal(c.version, installed.version, c['bom-ref']);
          assert.ok(c.purl.endsWith(`@${installed.version}`), c.purl);
          const integrity = lock.packages[c['bom-ref']]?.integrity;
          if (integrity) assert.equal(c.hashes[0].content, Buffer.from(integrity.split('-')[1], 'base64').toString('hex'), c['bom-ref']);
        }
      }
    });

    it('pin every shipped file by SHA-256', () => {
      for (const [name, file] of Object.entries(written)) {
        const bom = JSON.parse(readFileSync(file, 'utf8'));
        const files = bom.components.filter((c: any) => c.type === 'file');
        const shipped = ['task.json', 'icon.png', ...Object.keys(bundled.meta.tasks[name].files)].sort();
        assert.deepEqual(files.map((f: any) => f.name.replace(`tasks/${name}/`, '')).sort(), shipped, name);
        for (const f of files) {
          const bytes = readFileSync(join(bundled.dist, f.name));
          assert.equal(f.hashes[0].content, createHash('sha256').update(bytes).digest('hex'), f.name);
        }
      }
    });
  });
});
