/**
 * Gathers a request body from uWebSockets.js chunks into one buffer: sized once from Content-Length (Node's
 * allocUnsafe takes small ones from its shared slab, so small bodies cost no allocation of their own), grown by
 * doubling without it, and refused as soon as it passes the limit. uWS chunks are only valid during the callback,
 * so each is copied exactly once, into that buffer; the buffer then goes to the scan pool as it is.
 */
import type { HttpRequest, HttpResponse } from 'uWebSockets.js';

export type BodyOutcome = { ok: true; bytes: Uint8Array } | { ok: false; reason: 'too_large' };

/**
 * How the body is framed, checked before anything is read: Content-Length digits only, and every Content-Length the
 * same (differing ones are a request-smuggling shape, RFC 9112 6.3); no Content-Encoding but identity (a gzip body
 * scanned as it is would hide what it carries).
 */
export function bodyFraming(req: HttpRequest): { ok: true; length?: number } | { ok: false; status: number; message: string } {
  const lengths: string[] = [];
  let encoding = '';
  req.forEach((k, v) => {
    if (k === 'content-length') lengths.push(v.trim());
    else if (k === 'content-encoding') encoding += v.trim().toLowerCase();
  });
  if (lengths.some((l) => !/^\d{1,15}$/.test(l))) return { ok: false, status: 400, message: 'Content-Length must be a non-negative integer' };
  if (new Set(lengths).size > 1) return { ok: false, status: 400, message: 'conflicting Content-Length headers' };
  if (encoding && encoding !== 'identity') return { ok: false, status: 415, message: `Content-Encoding ${encoding.slice(0, 40)} is not accepted: send the body unencoded` };
  return { ok: true, ...(lengths.length && { length: Number(lengths[0]) }) };
}

export function readBody(res: HttpResponse, contentLength: number | undefined, limit: number, done: (o: BodyOutcome) => void): void {
  if (contentLength !== undefined && contentLength > limit) { done({ ok: false, reason: 'too_large' }); return; }
  const expected = contentLength !== undefined && Number.isSafeInteger(contentLength) && contentLength >= 0 ? contentLength : 16 * 1024;
  let buf = Buffer.allocUnsafe(expected);
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

/**
 * A Content-Type's charset when it is not UTF-8 (or ASCII), else undefined: a UTF-16, UTF-32 or UTF-7 body read as
 * UTF-8 would hide its text from the scan.
 */
export function foreignCharset(contentType: string): string | undefined {
  const charset = contentType.split(';').slice(1).map((p) => p.trim().toLowerCase()).find((p) => p.startsWith('charset='))?.slice(8).replace(/"/g, '');
  return charset && !['utf-8', 'utf8', 'us-ascii'].includes(charset) ? charset.slice(0, 40) : undefined;
}

/** UTF-16 and UTF-32 byte order marks: such a body read as UTF-8 would hide its text. */
export function foreignBom(b: Uint8Array): boolean {
  return (b[0] === 0xff && b[1] === 0xfe) || (b[0] === 0xfe && b[1] === 0xff) || (b[0] === 0 && b[1] === 0 && b[2] === 0xfe && b[3] === 0xff);
}
