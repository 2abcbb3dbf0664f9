/**
 * Repeated-token floods (records from wasm/match/floods.ts) that count as prompt injection: hundreds of copies of a
 * short unit ("ö ö ö", ") ] }", "artisanlib") that push a model's instructions out of its attention. Data and
 * markup repeat too, so a unit with a digit ("0, 0, 0"), a "<" ("<br><br>"), a JSON key ('{"a":{"a":', deep nesting:
 * depth_exceeded says that) or no ASCII character at all (a row of emoji) is not one.
 */
import type { Finding } from './types.js';

const IGN = 0xff;
/** Copies of the unit: TensorTrust floods run to hundreds; a row of 16 table cells is a table. */
const MIN_REPEATS = 24;

export interface FloodRecord { start: number; end: number; period: number }

function floodUnit(norm: Uint8Array, start: number, period: number): boolean {
  let ascii = false, quote = false, colon = false;
  for (let i = start; i < start + period && i < norm.length; i++) {
    const c = norm[i]!;
    if (c === IGN) continue;
    if ((c >= 0x30 && c <= 0x39) || c === 0x3c) return false;
    if (c >= 0x20 && c < 0x7f) ascii = true;
    if (c === 0x22) quote = true;
    if (c === 0x3a) colon = true;
  }
  return ascii && !(quote && colon);
}

export function floodFindings(floods: FloodRecord[], norm: Uint8Array): Finding[] {
  const out: Finding[] = [];
  for (const f of floods) {
    if ((f.end - f.start) / f.period < MIN_REPEATS || !floodUnit(norm, f.start, f.period)) continue;
    let start = f.start;
    while (start < f.end && norm[start] === IGN) start++; // not inside the previous character
    out.push({ type: 'prompt_injection', severity: 'medium', start, end: f.end, rule: 'pi.token-flood',
      description: `repeated-token flood (${Math.round((f.end - f.start) / f.period)} copies of one ${f.period}-byte unit)` });
  }
  return out;
}
