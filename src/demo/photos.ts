/**
 * Demo field photos that exist: a small PNG drawn deterministically from a label (the 图斑, the
 * step, the photo's number) — sky, a horizon, the ground with furrows and, on most, a grey
 * structure — so the demo record cites SHA-256s of real files. The loader writes every photo
 * the demo record cites into the evidence store (`storedDemoPhoto` finds the bytes by hash).
 */
import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import { rngFor } from './random.ts';

const W = 160;
const H = 120;

export interface DemoPhoto {
  sha256: string;
  bytes: Buffer;
  mediaType: 'image/png';
}

/** Photos drawn in this process, by SHA-256: what the loader writes to the evidence store. */
const drawn = new Map<string, DemoPhoto>();

/**
 * The demo photo of a label, drawn once per process.
 * @example demoPhoto('demo-photo:1405252026100001:verify:0').sha256
 */
export function demoPhoto(label: string): DemoPhoto {
  const bytes = png(draw(label));
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const photo: DemoPhoto = { sha256, bytes, mediaType: 'image/png' };
  drawn.set(sha256, photo);
  return photo;
}

/** A photo `demoPhoto` drew in this process, by its SHA-256; undefined when none. */
export function storedDemoPhoto(sha256: string): DemoPhoto | undefined {
  return drawn.get(sha256);
}

/** RGB pixels of a field scene. */
function draw(label: string): Uint8Array {
  const rng = rngFor('demo-photo', label);
  const px = new Uint8Array(W * H * 3);
  const horizon = Math.round(H * rng.range(0.3, 0.45));
  const ground: [number, number, number] = rng.chance(0.5) ? [122, 98, 66] : [96, 122, 64];
  const structure = rng.chance(0.75)
    ? {
        x0: Math.round(rng.range(10, 90)),
        w: Math.round(rng.range(30, 60)),
        h: Math.round(rng.range(20, 45)),
      }
    : null;
  const furrow = rng.int(5, 9);
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) {
      let c: [number, number, number];
      if (y < horizon) {
        const t = y / horizon;
        c = [Math.round(150 + 60 * t), Math.round(185 + 40 * t), 235];
      } else {
        const shade = (y - horizon) % furrow === 0 ? -18 : 0;
        c = [ground[0] + shade, ground[1] + shade, ground[2] + shade];
      }
      if (structure && x >= structure.x0 && x < structure.x0 + structure.w) {
        const top = horizon + 6 - structure.h;
        if (y >= top && y < horizon + 6) c = y === top ? [90, 90, 95] : [168, 166, 160];
      }
      const n = rng.int(-6, 6);
      const i = (y * W + x) * 3;
      px[i] = clamp(c[0] + n);
      px[i + 1] = clamp(c[1] + n);
      px[i + 2] = clamp(c[2] + n);
    }
  return px;
}

const clamp = (v: number) => Math.max(0, Math.min(255, v));

/** An 8-bit RGB PNG of W×H pixels. */
function png(px: Uint8Array): Buffer {
  const raw = Buffer.alloc((W * 3 + 1) * H);
  for (let y = 0; y < H; y++) {
    raw[y * (W * 3 + 1)] = 0;
    Buffer.from(px.buffer, px.byteOffset + y * W * 3, W * 3).copy(raw, y * (W * 3 + 1) + 1);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(W, 0);
  ihdr.writeUInt32BE(H, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
