/**
 * Repeated-token floods (records from wasm/match/floods.ts) that count as prompt injection: hundreds of copies of a
 * short unit ("ö ö ö", ") ] }", "artisanlib") that push a model's instructions out of its attention. Data, logs and
 * markup repeat too, so none of these is one: a unit with a digit ("0, 0, 0"), a comma (JSON "null, null"), a line
 * break (a repeated log line, empty table rows, a YAML list), a "<" ("<br><br>"), a JSON key ('{"a":{"a":', deep
 * nesting: depth_exceeded says that), only rule characters ("+---+---"), no ASCII character (a row of emoji), or
 * letters and digits alone under 6 bytes (base64 of a repeated byte, "hahaha").
 */
import type { Finding } from './types.js';

const IGN = 0xff;
/** Copies of the unit and bytes in all: TensorTrust floods run to hundreds; a row of 16 table cells is a table. */
const MIN_REPEATS = 24;
const MIN_BYTES = 256;

export interface FloodRecord { start: number; end: number; period: number }

export const FLOOD_RULE = 'pi.token-flood';

/**
 * Whether a finding of a text made by joining pieces (JSON values, a source's buffered messages) is only the join's
 * shape: repeated keys of an array of records, a heartbeat sent again and again, read as a flood.
 */
export function joinArtifact(t: { rule?: string }): boolean {
  return t.rule === FLOOD_RULE;
}

const isRuleChar = (c: number) => c === 0x2d || c === 0x2b || c === 0x3d || c === 0x7c || c === 0x5f || c === 0x2a || c === 0x23
  || c === 0x7e || c === 0x2e || c === 0x20;
const isAlnum = (c: number) => (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39);

/** The unit, read in the normalized stream, except "letters and digits alone" read in the original bytes (the
 *  letter-spacing pass turns the spaces of "ö ö ö" into ignored bytes). */
function floodUnit(raw: Uint8Array, norm: Uint8Array, start: number, period: number): boolean {
  let ascii = false, quote = false, colon = false, ruleOnly = true;
  for (let i = start; i < start + period && i < norm.length; i++) {
    const c = norm[i]!;
    if (c === IGN) continue;
    if ((c >= 0x30 && c <= 0x39) || c === 0x3c || c === 0x2c || c === 0x0a) return false;
    if (c >= 0x20 && c < 0x7f) ascii = true;
    if (c === 0x22) quote = true;
    if (c === 0x3a) colon = true;
    if (!isRuleChar(c)) ruleOnly = false;
  }
  let alnumOnly = true;
  for (let i = start; i < start + period && i < raw.length; i++) if (!isAlnum(raw[i]!)) alnumOnly = false;
  return ascii && !(quote && colon) && !ruleOnly && !(alnumOnly && period < 6);
}

export function floodFindings(floods: FloodRecord[], raw: Uint8Array, norm: Uint8Array): Finding[] {
  const out: Finding[] = [];
  for (const f of floods) {
    // The core samples 64-byte strides: widen to where the repetition really starts and ends (at most a stride each).
    let start = f.start, end = f.end;
    const p = f.period;
    while (start > 0 && norm[start - 1] === norm[start - 1 + p]) start--;
    while (end < norm.length && norm[end] === norm[end - p]) end++;
    if ((end - start) / p < MIN_REPEATS || end - start < MIN_BYTES || !floodUnit(raw, norm, f.start, p)) continue;
    while (start < end && norm[start] === IGN) start++; // not inside the previous character
    out.push({ type: 'prompt_injection', severity: 'medium', start, end, rule: FLOOD_RULE,
      description: `repeated-token flood (${Math.round((end - start) / p)} copies of one ${p}-byte unit)` });
  }
  return out;
}
