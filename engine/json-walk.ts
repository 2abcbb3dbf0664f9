/**
 * Walks a JSON value (keys and strings). Nesting beyond max_scan_depth is reported once per document as
 * depth_exceeded (low; medium beyond four times the limit, which is a nesting attack rather than a deep schema),
 * and the strings down there are still scanned: depth must not be a way to hide a payload (MCP tool schemas nest
 * descriptions at depth 6 and more). The walk uses an explicit stack, so no nesting can overflow the call stack.
 */
import type { Threat } from './threats.js';

/** Strings, and raw bytes (msgpack `bin` values, Buffers): both are scanned. */
type ScanString = (text: string | Uint8Array, path: string) => Threat[];

function join(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  const simple = /^[A-Za-z_$][\w$]*$/.test(key) && key.length < 64;
  const part = simple ? key : JSON.stringify(key);
  return path ? (simple ? `${path}.${part}` : `${path}[${part}]`) : part;
}

/** Paths stop growing past 4 KiB (a 100 000-level document must not build gigabytes of path strings). */
const MAX_PATH = 4096;

function extend(path: string, key: string | number): string {
  return path.length >= MAX_PATH ? (path.endsWith('…') ? path : `${path}…`) : join(path, key);
}

export function walkJson(value: unknown, maxDepth: number, scan: ScanString): Threat[] {
  const threats: Threat[] = [];
  let deepest = 0;
  let deepestPath = '';
  // Objects on the current path only: a shared sub-object is scanned at each of its paths; a cycle is reported.
  const ancestors = new Set<object>();
  // Explicit stack: hostile nesting cannot overflow the JS call stack. An `exit` entry leaves an object's subtree.
  const stack: Array<{ v: unknown; path: string; depth: number; exit?: boolean }> = [{ v: value, path: '', depth: 0 }];
  while (stack.length) {
    const { v, path, depth, exit } = stack.pop()!;
    if (exit) { ancestors.delete(v as object); continue; }
    if (typeof v === 'string' || v instanceof Uint8Array) { for (const t of scan(v, path)) threats.push(t); continue; }
    if (v === null || typeof v !== 'object') continue;
    // Values that are not plain JSON still carry text: an Error's message, a RegExp's source.
    if (v instanceof Error) { for (const t of scan(v.message, extend(path, 'message'))) threats.push(t); continue; }
    if (v instanceof RegExp) { for (const t of scan(v.source, path)) threats.push(t); continue; }
    if (ancestors.has(v)) {
      threats.push({ type: 'depth_exceeded', severity: 'medium', offset: 0, length: 0, path, description: 'circular structure', rule: 'json.cycle' });
      continue;
    }
    if (depth >= maxDepth && depth > deepest) {
      if (deepest === 0) deepestPath = path; // where the limit was first crossed (a bounded path)
      deepest = depth;
    }
    ancestors.add(v);
    stack.push({ v, path, depth, exit: true });
    // Sets are walked like arrays, Maps like objects whose keys may be any value.
    const list = Array.isArray(v) ? v : v instanceof Set ? [...v] : undefined;
    if (list) {
      for (let i = list.length - 1; i >= 0; i--) stack.push({ v: list[i], path: extend(path, i), depth: depth + 1 });
    } else if (v instanceof Map) {
      const entries = [...v.entries()];
      for (let i = entries.length - 1; i >= 0; i--) {
        const [k, child] = entries[i]!;
        const childPath = extend(path, typeof k === 'string' ? k : i);
        stack.push({ v: child, path: childPath, depth: depth + 1 }, { v: k, path: childPath, depth: depth + 1 });
      }
    } else {
      const entries = Object.entries(v as Record<string, unknown>);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [k, child] = entries[i]!;
        const childPath = extend(path, k);
        for (const t of scan(k, childPath)) threats.push({ ...t, description: `${t.description} (in key)` });
        stack.push({ v: child, path: childPath, depth: depth + 1 });
      }
    }
  }
  if (deepest > 0) {
    threats.push({ type: 'depth_exceeded', severity: deepest >= maxDepth * 4 ? 'medium' : 'low', offset: 0, length: 0,
      path: deepestPath, description: `nesting of ${deepest + 1} levels exceeds max_scan_depth (${maxDepth}); deeper strings were scanned too`,
      rule: 'json.depth' });
  }
  return threats;
}
