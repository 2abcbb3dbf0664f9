/**
 * Confirmations that look at the bytes around a hit: code and markup shapes (query, header, handler, substitution)
 * and secrets (token alphabet, length, entropy, assignment shape). Wording rules have theirs in confirm-wording.ts.
 */
import type { Hit, ScanView } from './types.js';
import { EVENT_NAMES } from '../patterns/web.js';
import { IGN, utf8, isTokenByte, tokenEnd, onlyBefore, readRun, wordsIn } from './read.js';
import { WORDING_CONFIRMS } from './confirm-wording.js';

/** Shannon entropy in bits per byte of raw[start, end). */
export function entropy(raw: Uint8Array, start: number, end: number): number {
  const counts = new Map<number, number>();
  for (let i = start; i < end; i++) counts.set(raw[i]!, (counts.get(raw[i]!) ?? 0) + 1);
  const n = end - start;
  let h = 0;
  for (const c of counts.values()) h -= (c / n) * Math.log2(c / n);
  return h;
}

function hasDigitOrSymbol(raw: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = raw[i]! | 0x20;
    if (!(c >= 0x61 && c <= 0x7a)) return true;
  }
  return false;
}

function classes(raw: Uint8Array, start: number, end: number): number {
  let lower = 0, upper = 0, digit = 0, other = 0;
  for (let i = start; i < end; i++) {
    const c = raw[i]!;
    if (c >= 0x61 && c <= 0x7a) lower = 1;
    else if (c >= 0x41 && c <= 0x5a) upper = 1;
    else if (c >= 0x30 && c <= 0x39) digit = 1;
    else other = 1;
  }
  return lower + upper + digit + other;
}

const PLACEHOLDER_WORDS = new Set(['changeme', 'password', 'secret', 'token', 'null', 'none', 'true', 'false', 'undefined',
  'test', 'dummy', 'sample', 'redacted', 'placeholder', 'example']);
const PLACEHOLDER_PARTS = ['xxxx', '****', '....', '0000000', '1234567', 'abcdef', 'example', 'your_', 'your-', 'yourkey', '<', '>',
  '${', '{', '}', '%s', 'process.env', 'os.environ', 'getenv', 'config.', 'settings.', 'here', '1234-1234', 'accesstoken', '[',
  'placeholder', 'dummy', 'redacted', 'fake'];

/** Obvious stand-ins (your_key_here, ${TOKEN}, xxxx) are documentation, not leaks. Plain string checks, no regex. */
function looksPlaceholder(raw: Uint8Array, start: number, end: number): boolean {
  const s = utf8.decode(raw.subarray(start, Math.min(end, start + 80))).toLowerCase();
  if (PLACEHOLDER_WORDS.has(s)) return true;
  for (const p of PLACEHOLDER_PARTS) if (s.includes(p)) return true;
  let same = 0;
  for (let i = 1; i < s.length; i++) if (s[i] === s[i - 1]) same++;
  return same > s.length / 2;
}

/** `start` is where the rule's first element begins (its last element is `hit`). */
export type Confirm = (view: ScanView, hit: Hit, start: number) => { end: number } | null;

/** "or x=x", "and 'a'='a": the first and last letters of the hit are the same one-letter name. */
function sameLetters(norm: Uint8Array, hit: Hit): boolean {
  let i = hit.start;
  while (i < hit.end && norm[i] !== 0x20) i++; // the operator word
  while (i < hit.end && !(norm[i]! >= 0x61 && norm[i]! <= 0x7a)) i++;
  let j = hit.end - 1;
  while (j > i && norm[j] === IGN) j--;
  return j > i && norm[i] === norm[j];
}

const isNumberByte = (c: number) => (c >= 0x30 && c <= 0x39) || c === 0x20 || c === 0x2d || c === 0x2b || c === 0x2a || c === 0x2f;

/**
 * Response headers an injected line break would add, each with the shape its value must have: "Location: Rome" in a
 * form's text field is a note, "Location: http://evil" a redirect.
 */
const INJECTED_HEADERS = new Map<string, RegExp>([
  ['set-cookie', /^ ?[\w.-]+ ?=/], ['cookie', /^ ?[\w.-]+ ?=/],
  ['location', /^ ?(https?:|\/\/|\/|javascript:)/], ['refresh', /^ ?\d+ ?; ?url ?=/],
  ['content-type', /^ ?[a-z]+\/[a-z]/], ['content-length', /^ ?\d/], ['transfer-encoding', /^ ?(chunked|gzip|identity)/],
  ['access-control-allow-origin', /^ ?(\*|https?:|null)/], ['access-control-allow-credentials', /^ ?true/],
  ['x-xss-protection', /^ ?\d/], ['content-security-policy', /^ ?[a-z-]+-src\b/], ['content-disposition', /^ ?(attachment|inline)/],
  ['x-forwarded-for', /^ ?[\d.:a-f]+/], ['x-forwarded-host', /^ ?[a-z0-9.-]+\.[a-z]/], ['host', /^ ?[a-z0-9.-]+\.[a-z]{2,}/],
]);

const isHeaderNameByte = (c: number) => (c >= 0x61 && c <= 0x7a) || c === 0x2d;

/** At `from` (after the line break): a header this list names, a colon and a value of that header's shape. */
function injectedHeader(norm: Uint8Array, from: number): number {
  let i = from;
  while (i < norm.length && (norm[i] === 0x01 || norm[i] === IGN || norm[i] === 0x20 || norm[i] === 0x0a)) i++;
  const name = readRun(norm, i, 40, isHeaderNameByte);
  i = name.end;
  while (i < norm.length && (norm[i] === 0x20 || norm[i] === IGN)) i++;
  const shape = INJECTED_HEADERS.get(name.text);
  return norm[i] === 0x3a && shape && shape.test(readRun(norm, i + 1, 80, () => true).text) ? i + 1 : -1;
}

/**
 * The statement holding the hit (from the text's start, a line break, ';' or a colon that introduces it) opens with
 * SELECT (or a "mysql>" prompt and SELECT) and has no quote, comment or number break-out before it: a query someone
 * wrote, not a value broken out of.
 */
function wholeQuery(norm: Uint8Array, at: number): boolean {
  let i = at - 1;
  // At most 256 bytes back (a text full of UNIONs stays cheap); a "::" cast is no boundary.
  while (i >= 0 && norm[i] !== 0x0a && norm[i] !== 0x3b && !(norm[i] === 0x3a && norm[i - 1] !== 0x3a && norm[i + 1] !== 0x3a)) {
    const c = norm[i]!;
    if (at - i > 256 || c === 0x27 || c === 0x22 || c === 0x23 || (c === 0x2d && norm[i - 1] === 0x2d)) return false;
    i--;
  }
  let j = i + 1;
  while (j < at && (norm[j] === 0x20 || norm[j] === IGN)) j++;
  // The statement itself opens with SELECT: "(SELECT 1 FROM dual) UNION ..." is a break-out.
  let first = readRun(norm, j, 8, (c) => c >= 0x61 && c <= 0x7a);
  if (first.text === 'mysql' && norm[first.end] === 0x3e) {
    j = first.end + 1;
    while (j < at && norm[j] === 0x20) j++;
    first = readRun(norm, j, 8, (c) => c >= 0x61 && c <= 0x7a);
  }
  return first.text === 'select' && wordsIn(norm, first.end, at).includes('from');
}

// Calls that build a MongoDB query in code: an operator inside one of them is the code's own.
const QUERY_CALLS = new Set(['find', 'findone', 'aggregate', 'count', 'countdocuments', 'updateone', 'updatemany', 'deleteone',
  'deletemany', 'remove', 'distinct', 'findoneandupdate', 'findoneanddelete']);

/**
 * The call whose parenthesis encloses `at` (at most 400 bytes back, outside string literals) is a query method
 * ("db.users.find({ age: { $gte: 18 } })"); "db." or ".find(" inside a string before the operator is not.
 */
function insideQueryCall(raw: Uint8Array, at: number): boolean {
  let depth = 0, quotes = 0;
  for (let i = at - 1; i >= 0 && at - i <= 400; i--) {
    const c = raw[i]!;
    if (c === 0x22) quotes++;
    else if (c === 0x29) depth++;
    else if (c === 0x28) {
      if (depth > 0) { depth--; continue; }
      if (quotes % 2 !== 0) return false; // the parenthesis sits inside a string
      let k = i;
      while (k > 0 && ((raw[k - 1]! | 0x20) >= 0x61 && (raw[k - 1]! | 0x20) <= 0x7a)) k--;
      return k > 0 && raw[k - 1] === 0x2e && QUERY_CALLS.has(utf8.decode(raw.subarray(k, i)).toLowerCase());
    }
  }
  return false;
}

const FILL_VERBS = ['append', 'add ', 'include', 'attach', 'encode', 'followed by', 'fill'];

export const CONFIRMS: Record<string, Confirm> = {
  ...WORDING_CONFIRMS,
  /** Not inside a query a program builds ("db.orders.find({ total: { $gt: 100 } })"). */
  notQueryCode({ raw }, hit) {
    return insideQueryCall(raw, hit.start) ? null : { end: hit.end };
  },
  /** "javascript:void(0)" (the no-op link of old HTML) runs nothing: anything else after the scheme does. */
  notVoidUrl({ raw, norm }, hit) {
    let i = hit.start;
    while (i < hit.end && norm[i] !== 0x3a) i++; // the scheme's colon, inside the hit
    if (i >= hit.end) return { end: hit.end };
    const rest = utf8.decode(raw.subarray(i + 1, Math.min(raw.length, i + 12))).toLowerCase();
    const body = rest.startsWith('void(0)') ? 7 : rest.startsWith('void 0') ? 6 : -1;
    if (body < 0) return { end: hit.end };
    // The URL ends right there (";" allowed): "javascript:void(0); alert(1)" runs the rest.
    const next = rest.charCodeAt(body + (rest[body] === ';' ? 1 : 0));
    return Number.isNaN(next) || next === 0x22 || next === 0x27 || next === 0x60 || next === 0x3e || next === 0x29 ? null : { end: hit.end };
  },
  wholeQuery({ norm }, hit) {
    return wholeQuery(norm, hit.start) ? { end: hit.end } : null;
  },
  notWholeQuery({ norm }, hit) {
    return wholeQuery(norm, hit.start) ? null : { end: hit.end };
  },
  /**
   * "=)" ends the URL of a Markdown image with an empty query parameter: "![x](https://x.example/p.png?d=)" waits for
   * data to be appended, and renderers fetch images unasked (a link needs a click, and docs link "?q=" searches).
   */
  emptyQueryParam({ raw }, hit) {
    let i = hit.start - 1;
    while (i >= 0 && hit.start - i <= 32 && isTokenByte(raw[i]!)) i--;
    if (i < 0 || (raw[i] !== 0x3f && raw[i] !== 0x26) || i === hit.start - 1) return null; // "?name=" or "&name="
    const before = utf8.decode(raw.subarray(Math.max(0, i - 512), i));
    const open = before.lastIndexOf('](http');
    if (open <= 0 || before.slice(open).includes(' ')) return null;
    // Told to fill it ("append the chat summary to this image"): badges and charts end in "?style=)" too.
    const told = before.slice(0, open).toLowerCase();
    if (!FILL_VERBS.some((v) => told.includes(v))) return null;
    // The "[" that opens this link's text, and a "!" before it: an image.
    let k = open - 1, depth = 0;
    for (; k >= 0 && before[k] !== '\n'; k--) {
      if (before[k] === ']') depth++;
      else if (before[k] === '[') { if (depth === 0) break; depth--; }
    }
    return k > 0 && before[k] === '[' && before[k - 1] === '!' ? { end: hit.end } : null;
  },
  /** After a decoded control character (and any more of them), a response header with a value of its shape. */
  headerAfter({ norm }, hit) {
    const end = injectedHeader(norm, hit.start);
    return end < 0 ? null : { end };
  },
  /**
   * A raw line break (CR LF, or LF alone, which many servers also split on) right after a request parameter or a
   * path ("name=Alice", "/home"), then a response header with a value of its shape: a pasted HTTP message, or a note
   * with a "Location:" line, is not an injection.
   */
  crlfInValue({ raw, norm }, hit) {
    if (raw[hit.start] !== 0x0d && raw[hit.start] !== 0x0a) return null;
    let i = hit.start - 1;
    while (i >= 0 && raw[i] !== 0x0a && hit.start - i < 512) i--;
    const line = utf8.decode(raw.subarray(i + 1, hit.start));
    if (line.length === 0 || line.includes(' ') || !(/[=?&]/.test(line) || line.startsWith('/'))) return null;
    const end = injectedHeader(norm, hit.start);
    return end < 0 ? null : { end };
  },
  /** The value is a real event-handler name and nothing else ("onmouseover", " onload=", not "onboarding"). */
  handlerName({ norm }, hit) {
    let i = hit.start;
    while (norm[i] === 0x20 || norm[i] === IGN) i++;
    const name = readRun(norm, i, 33, (c) => c >= 0x61 && c <= 0x7a);
    i = name.end;
    while (i < norm.length && (norm[i] === 0x20 || norm[i] === 0x3d || norm[i] === IGN)) i++;
    return i === norm.length && EVENT_NAMES.has(name.text) ? { end: i } : null;
  },
  /** The hit's first character was written as an escape (&#x3C;, %3C, \\u003c), not as itself. */
  escaped({ raw, norm }, hit) {
    let i = hit.start;
    while (i < hit.end && norm[i] === 0x20) i++;
    return raw[i] !== norm[i] ? { end: hit.end } : null;
  },
  /** A short value: "alert(1)" alone is a probe, "alert("Saved!") is not showing in Safari" a question. */
  shortValue({ raw }, hit) {
    return raw.length <= 24 ? { end: hit.end } : null;
  },
  selfCompare({ norm }, hit) {
    return sameLetters(norm, hit) ? { end: hit.end } : null;
  },
  /** The tautology opens the value (" OR x=x"): a fragment appended to a WHERE clause. */
  selfCompareFirst({ norm }, hit) {
    return sameLetters(norm, hit) && onlyBefore(norm, hit.start, (c) => c === 0x20) ? { end: hit.end } : null;
  },
  /** Nothing but a number (or a product of numbers) before the comment: "1--", "-1 #", "1*1--". */
  numberOnly({ norm }, hit, start) {
    return onlyBefore(norm, start, isNumberByte) ? { end: hit.end } : null;
  },
  /**
   * A shell command the way a payload runs it: at the end of the value, or followed by a flag, a path, a number, a
   * URL or another separator. "ls = [1, 2]" or "type T = string" after a quote is code, not a command.
   */
  cmdArgs({ raw, norm }, hit) {
    let i = hit.end;
    if (norm[i] === 0x01) return { end: hit.end }; // an encoded line break (%0a): the next command
    while (i < raw.length && (raw[i] === 0x20 || raw[i] === 0x09)) i++;
    if (i >= raw.length) return { end: hit.end };
    const c = raw[i]!;
    const spaced = i > hit.end;
    if (c === 0x3b || c === 0x7c || c === 0x26 || c === 0x60 || c === 0x29 || c === 0x27 || c === 0x22 || c === 0x0a || c === 0x0d) return { end: hit.end };
    if (spaced && (c === 0x2d || c === 0x2f || c === 0x7e || c === 0x2e || (c >= 0x30 && c <= 0x39) || c === 0x24)) return { end: hit.end };
    if (spaced && (c | 0x20) === 0x68 && raw[i + 1] === 0x74 && raw[i + 2] === 0x74 && raw[i + 3] === 0x70) return { end: hit.end };
    return null;
  },
  /** AKIA + 16 upper-case alphanumerics (AWS key ids are upper case; the core only saw lowercase). */
  awsKey({ raw }, hit) {
    const end = tokenEnd(raw, hit.start);
    if (end - hit.start !== 20 || looksPlaceholder(raw, hit.start, end)) return null; // AKIAIOSFODNN7EXAMPLE is AWS's doc key
    for (let i = hit.start; i < end; i++) {
      const c = raw[i]!;
      if (!((c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39))) return null;
    }
    return { end };
  },
  /** SendGrid keys: SG.<22>.<43>, upper-case prefix. */
  sendgrid({ raw }, hit) {
    const end = tokenEnd(raw, hit.start, (c) => c === 0x2e);
    if (end - hit.start < 40 || entropy(raw, hit.start, end) < 3.5 || looksPlaceholder(raw, hit.start, end)) return null;
    return { end };
  },
  /** A vendor-prefixed token: at least 20 token bytes with some randomness in them. */
  token20({ raw }, hit) {
    // Vendor prefixes are lower case (ghp_, xoxb-, sk-, npm_): GLC_StateBegin is an identifier, not a token.
    const first = raw[hit.start]!;
    if (first >= 0x41 && first <= 0x5a) return null;
    let end = tokenEnd(raw, hit.start, (c) => c === 0x2e || c === 0x2f || c === 0x2b || c === 0x3d);
    while (end > hit.start && raw[end - 1] === 0x2e) end--; // the full stop of a sentence
    if (end - hit.start < 20 || entropy(raw, hit.start, end) < 3.2 || looksPlaceholder(raw, hit.start, end)) return null;
    return { end };
  },
  /** AIza + 35 characters exactly (Google API keys); ya29. OAuth tokens by the generic rule. */
  google(view, hit, start) {
    const { raw } = view;
    if (raw[hit.start] === 0x79) return CONFIRMS.token20!(view, hit, start); // ya29.
    const end = tokenEnd(raw, hit.start);
    if (end - hit.start !== 39 || raw[hit.start] !== 0x41 || entropy(raw, hit.start, end) < 3.5) return null;
    return { end };
  },
  /** header.payload.signature, each base64url. */
  jwt({ raw }, hit) {
    let i = hit.start;
    for (let part = 0; part < 3; part++) {
      const s = i;
      i = tokenEnd(raw, i);
      if (i - s < (part === 2 ? 8 : 10)) return null;
      if (part < 2) {
        if (raw[i] !== 0x2e) return null;
        i++;
      }
    }
    return { end: i };
  },
  /** scheme://user:password@host with a real-looking password. */
  connPassword({ raw }, hit) {
    let i = hit.end;
    const limit = Math.min(raw.length, i + 200);
    while (i < limit && raw[i] !== 0x3a && raw[i] !== 0x40 && raw[i] !== 0x2f) i++;
    if (raw[i] !== 0x3a) return null;
    const pw = i + 1;
    while (i < limit && raw[i] !== 0x40 && raw[i] !== 0x2f && raw[i] !== 0x20) i++;
    if (raw[i] !== 0x40 || i - pw < 4 || looksPlaceholder(raw, pw, i)) return null;
    return { end: i };
  },
  /** key = value / "key": "value" where the value has the length and randomness of a secret. */
  secretValue({ raw }, hit) {
    let i = hit.end;
    const limit = Math.min(raw.length, i + 40);
    const bearer = raw[hit.end - 1] === 0x20; // "bearer " / "authorization: bearer " patterns end in a space
    if (!bearer) {
      // The key name may go on (api_key_prod), then a closing quote, spaces, the operator.
      while (i < limit && (isTokenByte(raw[i]!) || raw[i] === 0x2e)) i++;
      while (i < limit && (raw[i] === 0x22 || raw[i] === 0x27 || raw[i] === 0x20 || raw[i] === 0x5d)) i++;
      if (raw[i] === 0x3d && raw[i + 1] === 0x3e) i += 2;
      else if (raw[i] === 0x3a && raw[i + 1] === 0x3d) i += 2;
      else if (raw[i] === 0x3d || raw[i] === 0x3a) i++;
      else return null;
      if (raw[i] === 0x3d) return null; // == comparison
    }
    while (i < raw.length && raw[i] === 0x20) i++;
    let quoted = false;
    if (raw[i] === 0x22 || raw[i] === 0x27 || raw[i] === 0x60) { quoted = true; i++; }
    const start = i;
    while (i < raw.length && i - start < 200 && raw[i]! > 0x20 && raw[i] !== 0x22 && raw[i] !== 0x27 && raw[i] !== 0x60
      && raw[i] !== 0x2c && raw[i] !== 0x3b && raw[i] !== 0x7d && raw[i] !== 0x29) i++;
    const len = i - start;
    if (len < 10 || looksPlaceholder(raw, start, i)) return null;
    // A password hash (bcrypt, argon2, scrypt) is stored on purpose and useless as a credential.
    if (raw[start] === 0x24 && (raw[start + 1] === 0x32 || raw[start + 1] === 0x61 || raw[start + 1] === 0x73)) return null;
    if (!quoted && (raw[i] === 0x28 || !hasDigitOrSymbol(raw, start, i))) return null; // a call or a plain identifier
    // Random-looking: three character classes, or long with high entropy (a hex or base64 key).
    const mix = classes(raw, start, i);
    if (!((mix >= 3 && entropy(raw, start, i) >= 3.0) || (len >= 16 && mix >= 2 && entropy(raw, start, i) >= 3.5))) return null;
    for (let k = start; k < i; k++) if (raw[k] === 0x2e && !quoted) return null; // config.password, process.env.X
    return { end: i };
  },
  /** A session cookie or header with a long random value. */
  sessionValue({ raw }, hit) {
    let i = hit.end;
    while (i < raw.length && (raw[i] === 0x22 || raw[i] === 0x27 || raw[i] === 0x20)) i++;
    if (raw[i] !== 0x3d && raw[i] !== 0x3a) return null;
    i++;
    while (i < raw.length && (raw[i] === 0x20 || raw[i] === 0x22 || raw[i] === 0x27)) i++;
    const start = i;
    i = tokenEnd(raw, i, (c) => c === 0x2e || c === 0x25);
    if (i - start < 16 || entropy(raw, start, i) < 3.0 || looksPlaceholder(raw, start, i)) return null;
    let digits = 0;
    for (let k = start; k < i; k++) if (raw[k]! >= 0x30 && raw[k]! <= 0x39) digits++;
    if (digits === 0) return null;
    return { end: i };
  },
};
