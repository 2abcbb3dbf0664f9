/**
 * Pathological inputs: 1 MiB of one repeated unit through the in-process scanner (compiled engine). Time must stay
 * linear and small: hit floods are merged in the core and confirmations have a budget.
 */
import { createScanner } from '../dist/engine/scanner.js';

export interface FloodRow { unit: string; msPerMiB: number; threats: number }

const UNITS = ['../', 'sk-', 'xoxb-', '&#0000000', 'token=', "' or ", '<img ', '\u202e', 'a\u200b ', 'ignore previous instructions '];

export function runFloods(): FloodRow[] {
  const scanner = createScanner({ policy: { action: 'report' } });
  return UNITS.map((unit) => {
    const text = unit.repeat(Math.ceil((1 << 20) / unit.length));
    scanner.scan(text.slice(0, 4096)); // warm the path
    const t0 = performance.now();
    const r = scanner.scan(text);
    return { unit, msPerMiB: Math.round(performance.now() - t0), threats: r.threats.length };
  });
}
