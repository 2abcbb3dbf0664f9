/** The core's base64/hex run finder (wasm/match/blobs.ts): which bytes extend a run, across SIMD block edges. */
import { beforeAll, describe, expect, it } from 'vitest';
import { Core } from '../engine/core.js';
import { loadCatalogue } from '../engine/catalogue-cache.js';
import { REC } from '../engine/record-codes.js';

let core: Core;
beforeAll(() => { core = new Core(loadCatalogue().automaton, 1 << 20); });

function blobs(text: string): Array<[number, number]> {
  const raw = core.scan(text);
  const out: Array<[number, number]> = [];
  for (let k = 0; k < raw.count; k++) if (raw.records[k * 4] === REC.BLOB) out.push([raw.records[k * 4 + 1]!, raw.records[k * 4 + 2]!]);
  return out;
}

// The base64 (standard and URL-safe) and hex alphabets, as the normalized stream spells them (letters lowercased).
const inAlphabet = (c: number) => /[A-Za-z0-9+/=_-]/.test(String.fromCharCode(c));

describe('blob runs', () => {
  it('every printable ASCII byte: a run of it is a blob exactly when it is in the alphabet, wherever the run starts', () => {
    for (let c = 0x21; c < 0x7f; c++) {
      if (c === 0x25 || c === 0x26 || c === 0x5c) continue; // escape introducers: decoded, not plain bytes
      for (const lead of [0, 5, 16, 31]) {
        const text = ' '.repeat(lead) + String.fromCharCode(c).repeat(40) + ' '.repeat(30);
        const got = blobs(text);
        expect(got.length, `byte 0x${c.toString(16)} at ${lead}`).toBe(inAlphabet(c) ? 1 : 0);
        if (got.length) expect(got[0]).toEqual([lead, lead + 40]);
      }
    }
  });

  it('16 alphabet bytes make a run, 15 do not; invisible characters inside a run do not break it', () => {
    expect(blobs(`x ${'a'.repeat(16)} y`)).toEqual([[2, 18]]);
    expect(blobs(`x ${'a'.repeat(15)} y`)).toEqual([]);
    const zw = `aGVsbG8\u200bgd29ybGQgaGVsbG8=`;
    expect(blobs(` ${zw} `)).toEqual([[1, 1 + Buffer.byteLength(zw)]]);
  });
});
