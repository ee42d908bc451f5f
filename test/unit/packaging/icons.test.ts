/**
 * Icons: the committed PNGs exist, are well-formed PNGs of the right size (read back with our own reader,
 * CRCs included), and match a fresh render of scripts/images.mjs pixel for pixel.
 */
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32Slow, readPng } from './png';
import { loadScript, REPO } from './repo';

interface ImagesScript {
  crc32(buf: Uint8Array): number;
  encodePng(w: number, h: number, rgba: Uint8Array): Buffer;
  render(shapes: unknown[], size: number): Uint8Array;
  renderAll(root?: string, warn?: (m: string) => void): Record<string, Buffer>;
  toSvg(shapes: unknown[], size: number, title: string): string;
  MARKS: Record<string, { title: string; shapes: unknown[] }>;
}

const taskNames = readdirSync(join(REPO, 'tasks'), { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(REPO, 'tasks', d.name, 'task.json')))
  .map((d) => d.name);

describe('icons', () => {
  let img: ImagesScript;
  before(async () => { img = await loadScript<ImagesScript>('images.mjs'); });

  it('the extension icon is a 128x128 RGBA PNG', () => {
    const png = readPng(readFileSync(join(REPO, 'images', 'extension-icon.png')));
    assert.deepEqual([png.width, png.height, png.bitDepth, png.colourType], [128, 128, 8, 6]);
  });

  for (const name of taskNames) {
    it(`tasks/${name}/icon.png is a 32x32 PNG`, () => {
      const file = join(REPO, 'tasks', name, 'icon.png');
      assert.ok(existsSync(file), `${file} missing: run node scripts/images.mjs`);
      const png = readPng(readFileSync(file));
      assert.deepEqual([png.width, png.height], [32, 32]);
    });
  }

  it('every committed image equals a fresh render (run node scripts/images.mjs if not)', () => {
    const fresh = img.renderAll(REPO);
    for (const [rel, data] of Object.entries(fresh)) {
      const file = join(REPO, rel);
      assert.ok(existsSync(file), `${rel} missing`);
      if (rel.endsWith('.svg')) {
        assert.equal(readFileSync(file, 'utf8'), data.toString('utf8'), rel);
      } else {
        // Compare pixels, not bytes: another zlib build may deflate the same pixels differently.
        assert.deepEqual(readPng(readFileSync(file)).rgba, readPng(data).rgba, `${rel} differs from a fresh render`);
      }
    }
  });

  it('renders deterministically', () => {
    const a = img.renderAll(REPO);
    const b = img.renderAll(REPO);
    for (const k of Object.keys(a)) assert.ok(a[k].equals(b[k]), k);
  });

  it('has a mark for each task folder, distinct from the others', () => {
    for (const name of taskNames) assert.ok(img.MARKS[name], `no mark for ${name}`);
    const renders = Object.keys(img.MARKS).map((k) => Buffer.from(img.render(img.MARKS[k].shapes, 32)).toString('base64'));
    assert.equal(new Set(renders).size, renders.length);
  });

  describe('PNG encoder', () => {
    it('computes the standard CRC-32', () => {
      assert.equal(img.crc32(Buffer.from('123456789')), 0xcbf43926);
      const random = Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 7919) & 255));
      assert.equal(img.crc32(random), crc32Slow(random));
    });

    it('round-trips pixels through IHDR, IDAT and IEND', () => {
      const w = 3, h = 2;
      const px = new Uint8Array(w * h * 4).map((_, i) => (i * 37) & 255);
      const png = readPng(img.encodePng(w, h, px));
      assert.deepEqual(png.chunks, ['IHDR', 'IDAT', 'IEND']);
      assert.deepEqual([png.width, png.height], [w, h]);
      assert.deepEqual(png.rgba, px);
    });

    it('refuses a pixel buffer of the wrong size', () => {
      assert.throws(() => img.encodePng(2, 2, new Uint8Array(15)), /size/);
    });
  });

  describe('rasteriser', () => {
    it('fills covered pixels, leaves the rest transparent, anti-aliases edges', () => {
      // A square covering the left half of a 4x4 image, its right edge through the middle of column 1.
      const px = img.render([{ kind: 'rect', x: 0, y: 0, w: 48, h: 128, fill: '#ff0000' }], 4);
      const at = (x: number, y: number) => Array.from(px.subarray((y * 4 + x) * 4, (y * 4 + x) * 4 + 4));
      assert.deepEqual(at(0, 0), [255, 0, 0, 255]);
      assert.equal(at(1, 2)[3], 128); // half covered
      assert.deepEqual(at(3, 3), [0, 0, 0, 0]);
    });

    it('writes the same shapes as SVG', () => {
      const svg = img.toSvg([{ kind: 'circle', cx: 64, cy: 64, r: 10, fill: '#00ff00' }], 32, 'T');
      assert.match(svg, /viewBox="0 0 128 128"/);
      assert.match(svg, /<circle cx="64" cy="64" r="10" fill="#00ff00"\/>/);
    });
  });
});
