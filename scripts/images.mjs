#!/usr/bin/env node
// Draws the extension icon and one icon per task from small geometric descriptions, and writes each mark
// both as PNG (for the Marketplace and the task picker) and as SVG (the editable source). The PNG and the
// SVG come from the same shape list, so they cannot drift apart.
//
//   images/extension-icon.png   128x128   images/extension-icon.svg
//   tasks/<Name>/icon.png        32x32    (only for task folders that exist)
//   images/tasks/<Name>-128.png 128x128   images/tasks/<Name>.svg
//
// Usage: node scripts/images.mjs [--check]   (--check: exit 1 if any file on disk differs from a fresh render)
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { crc32 as zlibCrc32, deflateSync } from 'node:zlib';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const VIEW = 128; // every mark is drawn in a 128-unit square and scaled to the output size
const SAMPLES = 4; // 4x4 samples per pixel: enough anti-aliasing for flat shapes

// ---------------------------------------------------------------- PNG encoding (RGBA, 8 bit)

/** zlib's CRC-32, which PNG chunks use (node:zlib has it since Node 20.15). */
export function crc32(buf) {
  return zlibCrc32(buf) >>> 0;
}

function chunk(type, data) {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'ascii');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** PNG bytes for an RGBA pixel buffer (width*height*4). No ancillary chunks, so no timestamps. */
export function encodePng(width, height, rgba) {
  if (rgba.length !== width * height * 4) throw new Error('pixel buffer size does not match dimensions');
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // colour type: RGBA
  // compression, filter, interlace: all 0
  const stride = width * 4;
  const raw = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (stride + 1)] = 0; // filter: none (the images are tiny; simplicity wins)
    Buffer.from(rgba.buffer, rgba.byteOffset + y * stride, stride).copy(raw, y * (stride + 1) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// ---------------------------------------------------------------- shapes

// A shape is { kind, fill, ... } in the 128-unit space:
//   rect   x y w h r        rounded rectangle
//   circle cx cy r
//   poly   points [[x,y]…]  filled polygon (even-odd)
//   stroke points [[x,y]…] width   polyline with round caps and joins

function inRoundRect(s, x, y) {
  const r = Math.min(s.r ?? 0, s.w / 2, s.h / 2);
  if (x < s.x || y < s.y || x > s.x + s.w || y > s.y + s.h) return false;
  const cx = Math.min(Math.max(x, s.x + r), s.x + s.w - r);
  const cy = Math.min(Math.max(y, s.y + r), s.y + s.h - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}

function inPoly(points, x, y) {
  let inside = false;
  for (let i = 0, j = points.length - 1; i < points.length; j = i++) {
    const [xi, yi] = points[i];
    const [xj, yj] = points[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

function nearSegment(ax, ay, bx, by, x, y, r) {
  const dx = bx - ax, dy = by - ay;
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / len2));
  return (x - ax - t * dx) ** 2 + (y - ay - t * dy) ** 2 <= r * r;
}

export function contains(s, x, y) {
  switch (s.kind) {
    case 'rect': return inRoundRect(s, x, y);
    case 'circle': return (x - s.cx) ** 2 + (y - s.cy) ** 2 <= s.r * s.r;
    case 'poly': return inPoly(s.points, x, y);
    case 'stroke':
      for (let i = 1; i < s.points.length; i++) {
        if (nearSegment(...s.points[i - 1], ...s.points[i], x, y, s.width / 2)) return true;
      }
      return false;
    default: throw new Error(`unknown shape ${s.kind}`);
  }
}

function hex(c) {
  const m = /^#([0-9a-f]{6})$/i.exec(c);
  if (!m) throw new Error(`colour must be #rrggbb: ${c}`);
  const n = parseInt(m[1], 16);
  return [n >> 16, (n >> 8) & 255, n & 255];
}

/** Renders shapes (painted in order, later over earlier) into a size x size RGBA buffer. */
export function render(shapes, size) {
  const px = new Uint8Array(size * size * 4);
  const scale = VIEW / size;
  const colours = shapes.map((s) => hex(s.fill));
  const acc = new Float64Array(4);
  for (let py = 0; py < size; py++) {
    for (let pxl = 0; pxl < size; pxl++) {
      acc.fill(0);
      for (let sy = 0; sy < SAMPLES; sy++) {
        for (let sx = 0; sx < SAMPLES; sx++) {
          const x = (pxl + (sx + 0.5) / SAMPLES) * scale;
          const y = (py + (sy + 0.5) / SAMPLES) * scale;
          for (let i = shapes.length - 1; i >= 0; i--) {
            if (contains(shapes[i], x, y)) {
              acc[0] += colours[i][0]; acc[1] += colours[i][1]; acc[2] += colours[i][2]; acc[3] += 1;
              break;
            }
          }
        }
      }
      const o = (py * size + pxl) * 4;
      const a = acc[3];
      // Colour is averaged over covered samples only (no dark fringe); alpha is the coverage.
      if (a > 0) for (let k = 0; k < 3; k++) px[o + k] = Math.round(acc[k] / a);
      px[o + 3] = Math.round((a / (SAMPLES * SAMPLES)) * 255);
    }
  }
  return px;
}

const num = (v) => String(Math.round(v * 100) / 100);
const pts = (p) => p.map(([x, y]) => `${num(x)},${num(y)}`).join(' ');

/** The same shapes as an SVG document (128-unit viewBox, rendered at `size`). */
export function toSvg(shapes, size, title) {
  const body = shapes.map((s) => {
    switch (s.kind) {
      case 'rect': return `<rect x="${num(s.x)}" y="${num(s.y)}" width="${num(s.w)}" height="${num(s.h)}" rx="${num(s.r ?? 0)}" fill="${s.fill}"/>`;
      case 'circle': return `<circle cx="${num(s.cx)}" cy="${num(s.cy)}" r="${num(s.r)}" fill="${s.fill}"/>`;
      case 'poly': return `<polygon points="${pts(s.points)}" fill="${s.fill}"/>`;
      case 'stroke': return `<polyline points="${pts(s.points)}" fill="none" stroke="${s.fill}" stroke-width="${num(s.width)}" stroke-linecap="round" stroke-linejoin="round"/>`;
      default: throw new Error(`unknown shape ${s.kind}`);
    }
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 ${VIEW} ${VIEW}" role="img">`,
    `  <title>${title}</title>`,
    ...body.map((b) => `  ${b}`),
    '</svg>',
    '',
  ].join('\n');
}

// ---------------------------------------------------------------- the marks

/** Points along a quadratic Bezier (excluding the start point). */
function quad([x0, y0], [cx, cy], [x1, y1], n = 12) {
  const out = [];
  for (let i = 1; i <= n; i++) {
    const t = i / n;
    out.push([(1 - t) ** 2 * x0 + 2 * (1 - t) * t * cx + t * t * x1, (1 - t) ** 2 * y0 + 2 * (1 - t) * t * cy + t * t * y1]);
  }
  return out;
}

/** Points along a circular arc, angles in degrees (0 = +x, counter-clockwise on screen is negative y). */
function arc(cx, cy, r, fromDeg, toDeg, n = 16) {
  const out = [];
  for (let i = 0; i <= n; i++) {
    const a = ((fromDeg + ((toDeg - fromDeg) * i) / n) * Math.PI) / 180;
    out.push([cx + r * Math.cos(a), cy - r * Math.sin(a)]);
  }
  return out;
}

const badge = (fill) => ({ kind: 'rect', x: 0, y: 0, w: 128, h: 128, r: 24, fill });
const WHITE = '#ffffff';
const shield = (fill) => ({
  kind: 'poly', fill,
  points: [[28, 26], [64, 14], [100, 26], [100, 60], ...quad([100, 60], [100, 98], [64, 114]), ...quad([64, 114], [28, 98], [28, 60])],
});

export const MARKS = {
  extension: {
    title: 'MLOps Gates',
    shapes: (() => {
      const bg = '#0f4c81';
      return [badge(bg), shield(WHITE), { kind: 'stroke', fill: bg, width: 13, points: [[45, 62], [59, 77], [85, 47]] }];
    })(),
  },
  SecurityGate: {
    title: 'Security gate',
    shapes: (() => {
      const bg = '#0078d4';
      return [badge(bg), shield(WHITE), { kind: 'circle', cx: 64, cy: 54, r: 12, fill: bg }, { kind: 'poly', fill: bg, points: [[58, 58], [70, 58], [75, 90], [53, 90]] }];
    })(),
  },
  ModelRegistryPromote: {
    title: 'Model registry promote',
    shapes: [
      badge('#107c10'),
      { kind: 'poly', fill: WHITE, points: [[64, 14], [100, 50], [78, 50], [78, 72], [50, 72], [50, 50], [28, 50]] },
      { kind: 'rect', x: 26, y: 82, w: 76, h: 12, r: 5, fill: WHITE },
      { kind: 'rect', x: 26, y: 100, w: 76, h: 12, r: 5, fill: WHITE },
    ],
  },
  EndpointHardeningCheck: {
    title: 'Endpoint hardening check',
    shapes: (() => {
      const bg = '#ca5010';
      return [
        badge(bg),
        { kind: 'stroke', fill: WHITE, width: 13, points: [[42, 60], ...arc(64, 44, 22, 180, 0), [86, 60]] },
        { kind: 'rect', x: 28, y: 56, w: 72, h: 54, r: 10, fill: WHITE },
        { kind: 'circle', cx: 64, cy: 78, r: 9, fill: bg },
        { kind: 'rect', x: 59, y: 80, w: 10, h: 18, r: 3, fill: bg },
      ];
    })(),
  },
  ModelEvidenceGate: {
    // A luggage tag (the model version's tags) with a check mark: the gate reads tags.
    title: 'Model evidence gate',
    shapes: (() => {
      const bg = '#038387';
      return [
        badge(bg),
        { kind: 'poly', fill: WHITE, points: [[18, 40], [82, 40], [112, 64], [82, 88], [18, 88]] },
        { kind: 'circle', cx: 88, cy: 64, r: 7, fill: bg },
        { kind: 'stroke', fill: bg, width: 11, points: [[32, 64], [44, 76], [64, 52]] },
      ];
    })(),
  },
  ExplainabilityReport: {
    // Feature-importance bars, longest first, off a baseline: the chart the report leads with.
    title: 'Explainability report',
    shapes: [
      badge('#8764b8'),
      { kind: 'rect', x: 22, y: 20, w: 9, h: 88, r: 3, fill: WHITE },
      { kind: 'rect', x: 36, y: 26, w: 70, h: 20, r: 4, fill: WHITE },
      { kind: 'rect', x: 36, y: 54, w: 50, h: 20, r: 4, fill: WHITE },
      { kind: 'rect', x: 36, y: 82, w: 30, h: 20, r: 4, fill: WHITE },
    ],
  },
};

/** Fallback for a task folder nobody has drawn a mark for yet (reported as a warning). */
const GENERIC = { title: 'Task', shapes: [badge('#605e5c'), { kind: 'circle', cx: 64, cy: 64, r: 30, fill: WHITE }] };

/** Every file this script owns, as { relative path: bytes }. */
export function renderAll(root = ROOT, warn = () => {}) {
  const files = {};
  const put = (rel, data) => { files[rel] = Buffer.isBuffer(data) ? data : Buffer.from(data, 'utf8'); };
  put('images/extension-icon.png', encodePng(128, 128, render(MARKS.extension.shapes, 128)));
  put('images/extension-icon.svg', toSvg(MARKS.extension.shapes, 128, MARKS.extension.title));
  for (const [name, mark] of Object.entries(MARKS)) {
    if (name === 'extension') continue;
    put(`images/tasks/${name}-128.png`, encodePng(128, 128, render(mark.shapes, 128)));
    put(`images/tasks/${name}.svg`, toSvg(mark.shapes, 32, mark.title));
  }
  const tasksDir = path.join(root, 'tasks');
  const taskNames = existsSync(tasksDir)
    ? readdirSync(tasksDir, { withFileTypes: true }).filter((d) => d.isDirectory() && existsSync(path.join(tasksDir, d.name, 'task.json'))).map((d) => d.name).sort()
    : [];
  for (const name of taskNames) {
    const mark = MARKS[name] ?? (warn(`no mark drawn for task ${name}; using the generic one`), GENERIC);
    put(`tasks/${name}/icon.png`, encodePng(32, 32, render(mark.shapes, 32)));
  }
  return files;
}

function main(argv) {
  const check = argv.includes('--check');
  const files = renderAll(ROOT, (m) => console.warn(`warning: ${m}`));
  const stale = [];
  for (const [rel, data] of Object.entries(files)) {
    const abs = path.join(ROOT, rel);
    const same = existsSync(abs) && readFileSync(abs).equals(data);
    if (check) {
      if (!same) stale.push(rel);
    } else if (!same) {
      mkdirSync(path.dirname(abs), { recursive: true });
      writeFileSync(abs, data);
      console.log(`wrote ${rel} (${data.length} bytes)`);
    }
  }
  if (check && stale.length) {
    console.error(`out of date (run node scripts/images.mjs): ${stale.join(', ')}`);
    process.exitCode = 1;
  } else if (!check) console.log(`${Object.keys(files).length} image files up to date`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) main(process.argv.slice(2));
