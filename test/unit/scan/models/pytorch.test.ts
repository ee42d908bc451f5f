import assert from 'node:assert/strict';
import { LIMITS } from '../../../../shared/scan/models/_issues';
import { pytorchAnalyzer } from '../../../../shared/scan/models/pytorch';
import type { ModelIssue } from '../../../../shared/scan/types';
import { makeZip, osSystemPickle, Pickle, prng, torchStateDictPickle, torchZip } from './builders';

const analyze = (b: Buffer, path = 'model.pt') => pytorchAnalyzer.analyze(b, { path });
const ids = (issues: ModelIssue[]) => issues.map((i) => i.ruleId).sort();

/** The legacy torch.save layout: magic, protocol, sys_info, object, storage keys, then raw storages. */
function legacy(objectPickle: Buffer, raw: Buffer): Buffer {
  const magic = new Pickle().proto(2).long1(0x1950a86a20f9469cfc6cn).stop().bytes();
  const version = new Pickle().proto(2).int(1001).stop().bytes();
  const sysInfo = new Pickle().proto(2).emptyDict().mark().binUnicode('little_endian').newTrue().setitems().stop().bytes();
  const keys = new Pickle().proto(2).emptyList().mark().binUnicode('0').appends().stop().bytes();
  return Buffer.concat([magic, version, sysInfo, objectPickle, keys, raw]);
}

/** An object whose storage is rebuilt by torch.storage._load_from_bytes from literal bytes. */
function loadFromBytes(inner: Buffer | undefined): Buffer {
  const p = new Pickle().proto(2).global('torch.storage', '_load_from_bytes');
  if (inner) p.binBytes(inner).tuple1();
  else p.binUnicode('not bytes').tuple1();
  return p.reduce().stop().bytes();
}

describe('models/pytorch: zip checkpoints and legacy pickles', () => {
  it('a state dict checkpoint (stored and deflated, zip and zip64) is clean', () => {
    for (const opts of [{}, { deflate: true }, { zip64: true }, { deflate: true, zip64: true }]) {
      assert.deepEqual(analyze(torchZip(torchStateDictPickle(), opts)), [], JSON.stringify(opts));
    }
  });

  it('os.system in data.pkl is critical and names the archive member', () => {
    for (const opts of [{}, { deflate: true }, { zip64: true }]) {
      const issues = analyze(torchZip(torchStateDictPickle((p) => p.pop().raw(osSystemPickle().subarray(2))), opts));
      assert.deepEqual(ids(issues), ['AML-MODEL-PICKLE-001'], JSON.stringify(opts));
      assert.match(issues[0].message, /os\.system .*member 'archive\/data\.pkl'/);
    }
  });

  it('every pickle member is analysed (TorchScript constants.pkl), other members are not', () => {
    const z = makeZip([
      { name: 'archive/data.pkl', data: torchStateDictPickle() },
      { name: 'archive/constants.pkl', data: new Pickle().proto(2).global('__main__', 'Helper').stop().bytes() },
      { name: 'archive/data/0', data: osSystemPickle() }, // raw tensor bytes are never walked
    ]);
    assert.deepEqual(analyze(z).map((i) => i.key), ["member 'archive/constants.pkl'!__main__.Helper"]);
  });

  it('the legacy format: five pickles are walked, the raw storages after them are not', () => {
    const decoy = Buffer.from('cos\nsystem\n(S"x"\ntR.', 'latin1');
    assert.deepEqual(analyze(legacy(torchStateDictPickle(), decoy)), []);
    const bad = analyze(legacy(osSystemPickle(), decoy));
    assert.deepEqual(ids(bad), ['AML-MODEL-PICKLE-001']);
  });

  it('torch.storage._load_from_bytes: literal bytes are walked as a nested file, anything else is unresolved', () => {
    assert.deepEqual(analyze(loadFromBytes(legacy(torchStateDictPickle(), Buffer.alloc(8)))), []);
    const nested = analyze(loadFromBytes(legacy(osSystemPickle(), Buffer.alloc(8))));
    assert.deepEqual(ids(nested), ['AML-MODEL-PICKLE-001']);
    assert.match(nested[0].message, /nested pickle at byte \d+/);
    assert.deepEqual(ids(analyze(loadFromBytes(undefined))), ['AML-MODEL-PICKLE-003']);
  });

  it('nesting deeper than the cap is reported, not followed forever', () => {
    let inner = osSystemPickle();
    for (let i = 0; i < LIMITS.maxDepth + 2; i++) inner = loadFromBytes(inner);
    const issues = analyze(inner);
    assert.ok(ids(issues).includes('AML-MODEL-LIMIT-001'));
    assert.ok(!ids(issues).includes('AML-MODEL-PICKLE-001'));
  });

  it('a zip bomb stops at the inflation cap with a limit issue', () => {
    const saved = LIMITS.maxInflatedMember;
    LIMITS.maxInflatedMember = 1 << 20;
    try {
      const bomb = makeZip([{ name: 'archive/data.pkl', data: Buffer.alloc(4 << 20), deflate: true }]);
      assert.ok(bomb.length < 20_000);
      const issues = analyze(bomb);
      assert.deepEqual(ids(issues), ['AML-MODEL-LIMIT-001']);
      assert.equal(issues[0].severity, 'medium');
      assert.match(issues[0].message, /archive\/data\.pkl.*more than 1048576 bytes/);
    } finally {
      LIMITS.maxInflatedMember = saved;
    }
  });

  it('a damaged directory, an encrypted member and an unknown method are reported', () => {
    const good = torchZip(osSystemPickle());
    const cdBroken = Buffer.from(good);
    cdBroken.writeUInt32LE(0xfffffff0, cdBroken.length - 6); // central directory offset past the end
    assert.deepEqual(ids(analyze(cdBroken)), ['AML-MODEL-ZIP-001']);
    assert.deepEqual(ids(analyze(makeZip([{ name: 'a/data.pkl', data: osSystemPickle(), encrypted: true }]))), ['AML-MODEL-LIMIT-001']);
    assert.deepEqual(ids(analyze(makeZip([{ name: 'a/data.pkl', data: osSystemPickle(), method: 14 }]))), ['AML-MODEL-LIMIT-001']);
    const corrupt = makeZip([{ name: 'a/data.pkl', data: Buffer.alloc(64, 1), deflate: true }]);
    corrupt.fill(0xff, 30 + 'a/data.pkl'.length, 30 + 'a/data.pkl'.length + 4);
    assert.deepEqual(ids(analyze(corrupt)), ['AML-MODEL-ZIP-001']);
  });

  it('.pt that is neither zip nor pickle is malformed; .bin and .ckpt of other tools are left alone', () => {
    const rnd = prng(7);
    const junk = Buffer.from(Array.from({ length: 256 }, () => Math.floor(rnd() * 256)));
    junk[0] = 0x11;
    assert.deepEqual(ids(analyze(junk, 'model.pt')), ['AML-MODEL-TORCH-001']);
    assert.deepEqual(analyze(junk, 'weights.bin'), []);
    assert.deepEqual(analyze(junk, 'tf/model.ckpt'), []);
    const tar = Buffer.alloc(1024);
    tar.write('ustar', 257, 'latin1');
    assert.match(analyze(tar, 'old.pth')[0].message, /legacy tar checkpoint/);
    // A pickle under .bin (pytorch_model.bin of the legacy format) is analysed.
    assert.deepEqual(ids(analyze(osSystemPickle(), 'pytorch_model.bin')), ['AML-MODEL-PICKLE-001']);
  });

  it('sniffs a torch zip by its first member name', () => {
    assert.equal(pytorchAnalyzer.sniff?.(torchZip(torchStateDictPickle()).subarray(0, 64)), true);
    assert.equal(pytorchAnalyzer.sniff?.(makeZip([{ name: 'readme.txt', data: Buffer.from('x') }]).subarray(0, 64)), false);
  });
});
