import assert from 'node:assert/strict';
import { safetensorsAnalyzer } from '../../../../shared/scan/models/safetensors';
import type { ModelIssue } from '../../../../shared/scan/types';
import { safetensors } from './builders';

const analyze = (b: Buffer) => safetensorsAnalyzer.analyze(b, { path: 'model.safetensors' });
const messages = (issues: ModelIssue[]) => issues.map((i) => i.message);

const header = (over: Record<string, unknown> = {}) => ({
  __metadata__: { format: 'pt' },
  'a.weight': { dtype: 'F32', shape: [2, 2], data_offsets: [0, 16] },
  'a.bias': { dtype: 'BF16', shape: [2], data_offsets: [16, 20] },
  ...over,
});

describe('models/safetensors: header and offsets', () => {
  it('a well-formed file is clean, sub-byte dtypes included', () => {
    assert.deepEqual(analyze(safetensors(header(), Buffer.alloc(20))), []);
    assert.deepEqual(analyze(safetensors({ q: { dtype: 'F4', shape: [4], data_offsets: [0, 2] } }, Buffer.alloc(2))), []);
    assert.deepEqual(analyze(safetensors({}, Buffer.alloc(0))), []);
    // Trailing spaces pad the header, as writers do for alignment.
    assert.deepEqual(analyze(safetensors(JSON.stringify(header()) + '    ', Buffer.alloc(20))), []);
  });

  it('each violation is medium and says what is wrong', () => {
    const cases: Array<[Buffer, RegExp]> = [
      [Buffer.alloc(4), /shorter than the 8-byte header length/],
      [(() => { const b = safetensors(header(), Buffer.alloc(20)); b.writeBigUInt64LE(1n << 40n); return b; })(), /exceeds/],
      [(() => { const b = safetensors(header(), Buffer.alloc(20)); b.writeBigUInt64LE(BigInt(b.length)); return b; })(), /runs past the file end/],
      [safetensors('[1, 2]', Buffer.alloc(0)), /does not start with \{/],
      [safetensors('{"a": ', Buffer.alloc(0)), /does not parse as JSON/],
      [Buffer.concat([Buffer.from([4, 0, 0, 0, 0, 0, 0, 0]), Buffer.from([0x7b, 0xff, 0xfe, 0x7d])]), /not valid UTF-8/],
      [safetensors(header({ __metadata__: { n: 1 } }), Buffer.alloc(20)), /__metadata__ is not a map of strings/],
      [safetensors(header({ 'a.bias': { dtype: 'F128', shape: [2], data_offsets: [16, 20] } }), Buffer.alloc(20)), /unknown dtype/],
      [safetensors(header({ 'a.bias': { dtype: 'BF16', shape: [-2], data_offsets: [16, 20] } }), Buffer.alloc(20)), /shape/],
      [safetensors(header({ 'a.bias': { dtype: 'BF16', shape: [2], data_offsets: [20, 16] } }), Buffer.alloc(20)), /begin <= end/],
      [safetensors(header({ 'a.bias': { dtype: 'BF16', shape: [2], data_offsets: [16, 400] } }), Buffer.alloc(20)), /past the 20 bytes of data/],
      [safetensors(header({ 'a.bias': { dtype: 'BF16', shape: [3], data_offsets: [16, 20] } }), Buffer.alloc(20)), /spans 4 bytes but its dtype and shape need 6/],
      [safetensors(header({ 'a.bias': { dtype: 'BF16', shape: [2], data_offsets: [12, 16] }, 'c': { dtype: 'U8', shape: [4], data_offsets: [16, 20] } }), Buffer.alloc(20)), /overlaps/],
      [safetensors(header({ 'a.bias': { dtype: 'U8', shape: [2], data_offsets: [18, 20] } }), Buffer.alloc(20)), /data bytes 16\.\.18 .* belong to no tensor/],
      [safetensors(header(), Buffer.alloc(28)), /8 data bytes after the last tensor/],
    ];
    for (const [b, re] of cases) {
      const issues = analyze(b);
      assert.equal(issues.length, 1, `${re.source}: ${messages(issues).join(' | ')}`);
      assert.equal(issues[0].ruleId, 'AML-MODEL-SAFETENSORS-001');
      assert.equal(issues[0].severity, undefined, 'default severity (medium)');
      assert.match(issues[0].message, re);
    }
  });
});
