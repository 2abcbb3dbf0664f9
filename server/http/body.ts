/**
 * Gathers a request body from uWebSockets.js chunks into one buffer: sized once from Content-Length (Node's
 * allocUnsafe takes small ones from its shared slab, so small bodies cost no allocation of their own), grown by
 * doubling without it, and refused as soon as it passes the limit. uWS chunks are only valid during the callback,
 * so each is copied exactly once, into that buffer; the buffer then goes to the scan pool as it is.
 */
import type { HttpResponse } from 'uWebSockets.js';

export type BodyOutcome = { ok: true; bytes: Uint8Array } | { ok: false; reason: 'too_large' };

export function readBody(res: HttpResponse, contentLength: number | undefined, limit: number, done: (o: BodyOutcome) => void): void {
  if (contentLength !== undefined && contentLength > limit) { done({ ok: false, reason: 'too_large' }); return; }
  let buf = Buffer.allocUnsafe(contentLength ?? 16 * 1024);
  let len = 0;
  let finished = false;
  res.onData((chunk, isLast) => {
    if (finished) return;
    const piece = new Uint8Array(chunk);
    if (len + piece.length > limit) { finished = true; done({ ok: false, reason: 'too_large' }); return; }
    if (len + piece.length > buf.length) {
      const bigger = Buffer.allocUnsafe(Math.min(limit, Math.max(buf.length * 2, len + piece.length)));
      buf.copy(bigger, 0, 0, len);
      buf = bigger;
    }
    buf.set(piece, len);
    len += piece.length;
    if (isLast) { finished = true; done({ ok: true, bytes: buf.subarray(0, len) }); }
  });
}
