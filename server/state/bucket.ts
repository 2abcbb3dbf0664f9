/**
 * Token-bucket arithmetic shared by both backends (the Redis one runs the same steps in Lua): a bucket refills at
 * rpm/60 tokens a second up to `burst`; a take needs at least one token left and costs `cost`.
 */
export interface BucketState { tokens: number; at: number }

/** Refills `b` to `nowMs` (a missing bucket starts full) and takes (or, with take false, charges) `cost`. */
export function stepBucket(b: BucketState | undefined, nowMs: number, rpm: number, burst: number, cost: number, take: boolean): { state: BucketState; ok: boolean } {
  const tokens = b === undefined ? burst : Math.min(burst, b.tokens + (nowMs - b.at) * (rpm / 60_000));
  if (take && tokens < 1) return { state: { tokens, at: nowMs }, ok: false };
  return { state: { tokens: tokens - cost, at: nowMs }, ok: true };
}

/** Milliseconds until a bucket with `tokens` is full again (its key may expire then: a new one starts full). */
export function msUntilFull(tokens: number, rpm: number, burst: number): number {
  return Math.ceil(Math.max(0, burst - tokens) / (rpm / 60_000));
}
