// What the page needs to know of an MP3 file: where its audio starts (for the content hash, RFC 8.4) and what its
// Xing/Info + LAME header says of frames, encoder delay and padding (to line decoded audio up with the server's
// idea of position 0, as the terminal client's decoder does).

/** Length of the ID3v2 tag (header, body, footer) starting at `off`, or 0 when there is none. */
function id3v2Length(b, off) {
  if (b.length - off < 10 || b[off] !== 0x49 || b[off + 1] !== 0x44 || b[off + 2] !== 0x33) return 0;
  if (b[off + 3] === 0xff || b[off + 4] === 0xff) return 0;
  let size = 0;
  for (let i = 6; i < 10; i++) {
    if (b[off + i] >= 0x80) return 0;
    size = (size << 7) | b[off + i];
  }
  return 10 + size + ((b[off + 5] & 0x10) ? 10 : 0);
}

/** The audio part of a file: leading ID3v2 tags and a trailing ID3v1 tag cut off (as dev.thing.protocol.AudioDigest). */
export function audioPart(bytes) {
  const b = new Uint8Array(bytes);
  let start = 0;
  for (;;) {
    const n = id3v2Length(b, start);
    if (n <= 0) break;
    start += n;
  }
  start = Math.min(start, b.length);
  let end = b.length;
  if (end - start >= 128 && b[end - 128] === 0x54 && b[end - 127] === 0x41 && b[end - 126] === 0x47) end -= 128;
  return b.subarray(start, end);
}

/** SHA-256 hex of the audio part, or null where the browser offers no digest (a page not on a secure origin). */
export async function contentHash(bytes) {
  if (!globalThis.crypto || !crypto.subtle) return null;
  const digest = await crypto.subtle.digest('SHA-256', audioPart(bytes));
  return [...new Uint8Array(digest)].map((x) => x.toString(16).padStart(2, '0')).join('');
}

const BITRATES = {
  // [version][layer3 index] in kbit/s; version 1 = MPEG-1, 2 = MPEG-2 and 2.5
  1: [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
  2: [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
};
const RATES = { 3: [44100, 48000, 32000], 2: [22050, 24000, 16000], 0: [11025, 12000, 8000] };

/**
 * The first Layer III frame after the ID3v2 tags, and its Xing/Info/LAME data: {sampleRate, samplesPerFrame,
 * frames (from Xing, or null), delay and padding (LAME, or null)}. Null when no frame header is found.
 */
export function lameInfo(bytes) {
  const b = new Uint8Array(bytes);
  let p = 0;
  for (;;) {
    const n = id3v2Length(b, p);
    if (n <= 0) break;
    p += n;
  }
  const limit = Math.min(b.length - 4, p + 65536);
  for (; p < limit; p++) {
    if (b[p] !== 0xff || (b[p + 1] & 0xe0) !== 0xe0) continue;
    const versionBits = (b[p + 1] >> 3) & 3; // 3 = MPEG-1, 2 = MPEG-2, 0 = MPEG-2.5
    const layerBits = (b[p + 1] >> 1) & 3; // 1 = Layer III
    const bitrateIndex = b[p + 2] >> 4;
    const rateIndex = (b[p + 2] >> 2) & 3;
    if (versionBits === 1 || layerBits !== 1 || bitrateIndex === 0 || bitrateIndex === 15 || rateIndex === 3) continue;
    const mpeg1 = versionBits === 3;
    const sampleRate = RATES[versionBits][rateIndex];
    const samplesPerFrame = mpeg1 ? 1152 : 576;
    const mono = (b[p + 3] >> 6) === 3;
    const sideInfo = mpeg1 ? (mono ? 17 : 32) : (mono ? 9 : 17);
    const x = p + 4 + sideInfo;
    const info = { sampleRate, samplesPerFrame, frames: null, delay: null, padding: null,
      bitrate: BITRATES[mpeg1 ? 1 : 2][bitrateIndex] };
    const tag = String.fromCharCode(b[x], b[x + 1], b[x + 2], b[x + 3]);
    if (tag !== 'Xing' && tag !== 'Info') return info;
    const flags = (b[x + 4] << 24) | (b[x + 5] << 16) | (b[x + 6] << 8) | b[x + 7];
    let q = x + 8;
    if (flags & 1) {
      info.frames = ((b[q] << 24) >>> 0) + (b[q + 1] << 16) + (b[q + 2] << 8) + b[q + 3];
      q += 4;
    }
    if (flags & 2) q += 4;
    if (flags & 4) q += 100;
    if (flags & 8) q += 4;
    // The LAME extension: 9 bytes of encoder version, then 12 bytes, then delay (12 bits) and padding (12 bits).
    if (q + 24 <= b.length) {
      const enc = String.fromCharCode(b[q], b[q + 1], b[q + 2], b[q + 3]);
      if (/^(LAME|Lavf|Lavc|GOGO|L3.9)/.test(enc) || /^[A-Z]{4}/.test(enc)) {
        info.delay = (b[q + 21] << 4) | (b[q + 22] >> 4);
        info.padding = ((b[q + 22] & 0x0f) << 8) | b[q + 23];
      }
    }
    return info;
  }
  return null;
}

/** The decoder's own filterbank delay in samples (the terminal client drops delay + this many). */
export const DECODER_DELAY = 529;
