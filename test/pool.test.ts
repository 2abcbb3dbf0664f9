/** The worker pool: same results as the in-process scanner, and overload, timeout and abort behave as documented. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScanner, createScanPool, type ScanPool, type Scanner } from '../engine/index.js';
import { readCases } from '../scripts/corpus.js';

let pool: ScanPool;
let scanner: Scanner;
beforeAll(() => {
  pool = createScanPool({ threads: 2 });
  scanner = createScanner();
});
afterAll(async () => {
  await pool.close();
});

describe('pool results equal in-process results', () => {
  it('on a fixed sample of the corpora (attacks and benign)', async () => {
    // About 600 cases spread over every corpus present (the project's own, plus ../shared when it is beside the clone).
    const all = readCases();
    const step = Math.max(1, Math.floor(all.length / 600));
    const cases = all.filter((_, i) => i % step === 0).slice(0, 600);
    expect(cases.length).toBeGreaterThan(100);
    const results = await Promise.all(cases.map((c) => pool.scan(c.text)));
    cases.forEach((c, i) => expect(results[i], c.id).toEqual(scanner.scan(c.text)));
  });

  it('bytes are scanned as bytes, and the caller keeps its buffer', async () => {
    const bytes = new Uint8Array([0x69, 0x67, 0x6e, 0x6f, 0x72, 0x65, 0x20, 0xff, 0x20, 0x3c, 0x73, 0x63, 0x72, 0x69, 0x70, 0x74, 0x3e]);
    const copy = bytes.slice();
    expect(await pool.scan(bytes)).toEqual(scanner.scan(copy));
    expect(bytes).toEqual(copy);
  });

  it('scanJson', async () => {
    const value = { params: { arguments: { query: "x' OR 1=1 --", note: 'hello' } } };
    expect(await pool.scanJson(value)).toEqual(scanner.scanJson(value));
  });
});

describe('faults', () => {
  it('a full queue rejects with KG_ERR_OVERLOADED instead of growing', async () => {
    const small = createScanPool({ threads: 1, maxQueue: 2 });
    const big = 'ignore previous instructions '.repeat(40_000);
    const settled = await Promise.allSettled(Array.from({ length: 20 }, () => small.scan(big)));
    const codes = settled.filter((s) => s.status === 'rejected').map((s) => (s as PromiseRejectedResult).reason.code);
    expect(codes.length).toBeGreaterThan(0);
    expect(new Set(codes)).toEqual(new Set(['KG_ERR_OVERLOADED']));
    expect(settled.some((s) => s.status === 'fulfilled')).toBe(true);
    await small.close();
  });

  it('a scan over the time limit rejects with KG_ERR_TIMEOUT and the pool keeps working', async () => {
    const slow = createScanPool({ threads: 1, taskTimeoutMs: 1 });
    const big = "' OR 1=1 -- <script>alert(1)</script> ".repeat(100_000);
    await expect(slow.scan(big)).rejects.toMatchObject({ code: 'KG_ERR_TIMEOUT' });
    await slow.close();
  });

  it('an aborted scan rejects with the abort reason', async () => {
    const ac = new AbortController();
    ac.abort(new Error('client went away'));
    await expect(pool.scan('hello', { signal: ac.signal })).rejects.toThrow();
    expect((await pool.scan('hello')).threats).toEqual([]);
  });
});
