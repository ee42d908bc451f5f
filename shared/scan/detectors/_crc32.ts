/** CRC-32/IEEE 802.3 (zlib's crc32): legacy Azure DevOps PATs, GitHub and npm token checksums. */

const TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC32 of bytes, or of a string's char codes (callers pass ASCII only). */
export function crc32(data: Uint8Array | string, start = 0, end = data.length): number {
  let c = 0xffffffff;
  if (typeof data === 'string') {
    for (let i = start; i < end; i++) c = TABLE[(c ^ data.charCodeAt(i)) & 0xff] ^ (c >>> 8);
  } else {
    for (let i = start; i < end; i++) c = TABLE[(c ^ data[i]) & 0xff] ^ (c >>> 8);
  }
  return (c ^ 0xffffffff) >>> 0;
}
