import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, mkdir, open, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DigestError, digestModel } from '../../../shared/evidence/digests';

const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

describe('model file digests', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'mlops-digests-'));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('lists every file of a folder with relative POSIX names, sorted, with SHA-256 and size', async () => {
    const weights = randomBytes(3 * 1024 * 1024 + 17); // more than one read buffer
    await mkdir(join(root, 'model', 'sub'), { recursive: true });
    await writeFile(join(root, 'model', 'weights.onnx'), weights);
    await writeFile(join(root, 'model', 'sub', 'é.json'), '{}');
    await writeFile(join(root, 'MLmodel'), 'flavors: {}\n');
    await writeFile(join(root, 'Z.txt'), '');
    await writeFile(join(root, 'a.txt'), 'a');
    const files = await digestModel(root);
    assert.deepEqual(files.map((f) => f.name), ['MLmodel', 'Z.txt', 'a.txt', 'model/sub/é.json', 'model/weights.onnx']);
    assert.deepEqual(files[4], { name: 'model/weights.onnx', sha256: sha(weights), size: weights.length });
    assert.equal(files[1].sha256, 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', 'empty file');
    assert.deepEqual(await digestModel(join(root, 'a.txt')), [{ name: 'a.txt', sha256: sha('a'), size: 1 }]);
  });

  it('follows links that stay inside the folder and refuses links out, loops, dangling links and special files', async () => {
    const outside = await mkdtemp(join(tmpdir(), 'mlops-outside-'));
    try {
      await writeFile(join(outside, 'secret.txt'), 'not part of the model');
      await writeFile(join(root, 'real.bin'), 'r');
      await symlink(join(root, 'real.bin'), join(root, 'alias.bin'));
      assert.deepEqual((await digestModel(root)).map((f) => [f.name, f.sha256]), [['alias.bin', sha('r')], ['real.bin', sha('r')]]);

      await symlink(join(outside, 'secret.txt'), join(root, 'leak.txt'));
      await assert.rejects(digestModel(root), (e: Error) => e instanceof DigestError && /^leak\.txt: a symbolic link that leaves the model folder \(to .*secret\.txt\)$/.test(e.message));
      await rm(join(root, 'leak.txt'));

      await mkdir(join(root, 'd'));
      await symlink(outside, join(root, 'd', 'up'));
      await assert.rejects(digestModel(root), /^DigestError: d\/up: a symbolic link that leaves the model folder/);
      await rm(join(root, 'd', 'up'));

      await symlink(join(root, 'd'), join(root, 'd', 'loop'));
      await assert.rejects(digestModel(root), /d\/loop: a symbolic link that loops back to d$/);
      await rm(join(root, 'd', 'loop'));

      await symlink(join(root, 'gone'), join(root, 'dangling'));
      await assert.rejects(digestModel(root), /dangling: a symbolic link whose target does not exist/);
      await rm(join(root, 'dangling'));

      execFileSync('mkfifo', [join(root, 'd', 'pipe')]);
      await assert.rejects(digestModel(root), /d\/pipe: not a regular file or folder/);
    } finally {
      await rm(outside, { recursive: true, force: true });
    }
  });

  it('refuses an empty folder and a missing path', async () => {
    await mkdir(join(root, 'empty', 'nested'), { recursive: true });
    await assert.rejects(digestModel(join(root, 'empty')), /the model folder .*empty holds no files/);
    await assert.rejects(digestModel(join(root, 'nope')), /model path not found: .*nope/);
  });

  it('hashes a 1 GiB sparse file in bounded memory', async function () {
    this.timeout(120_000);
    const path = join(root, 'big.bin');
    const h = await open(path, 'w');
    await h.truncate(1024 ** 3);
    await h.close();
    global.gc?.();
    const before = process.memoryUsage().rss;
    let peak = before;
    const timer = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 5);
    let files;
    try {
      files = await digestModel(root);
    } finally {
      clearInterval(timer);
    }
    peak = Math.max(peak, process.memoryUsage().rss);
    // SHA-256 of 2^30 zero bytes (head -c 1073741824 /dev/zero | sha256sum).
    assert.deepEqual(files, [{ name: 'big.bin', sha256: '49bc20df15e412a64472421e13fe86ff1c5165e18b2afccf160d4dc19fe68a14', size: 1024 ** 3 }]);
    const growthMiB = (peak - before) / 1024 / 1024;
    assert.ok(growthMiB < 48, `RSS grew by ${growthMiB.toFixed(1)} MiB while hashing 1 GiB`);
  });
});
