/** Walks a JSON value (keys and strings) to a depth limit; deeper input is a depth_exceeded finding, never a crash. */
import type { Threat } from './threats.js';

type ScanString = (text: string, path: string) => Threat[];

function join(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  const simple = /^[A-Za-z_$][\w$]*$/.test(key) && key.length < 64;
  const part = simple ? key : JSON.stringify(key);
  return path ? (simple ? `${path}.${part}` : `${path}[${part}]`) : part;
}

export function walkJson(value: unknown, maxDepth: number, scan: ScanString): Threat[] {
  const threats: Threat[] = [];
  // Objects on the current path only: a shared sub-object is scanned at each of its paths; a cycle is reported.
  const ancestors = new Set<object>();
  // Explicit stack: hostile nesting cannot overflow the JS call stack. An `exit` entry leaves an object's subtree.
  const stack: Array<{ v: unknown; path: string; depth: number; exit?: boolean }> = [{ v: value, path: '', depth: 0 }];
  while (stack.length) {
    const { v, path, depth, exit } = stack.pop()!;
    if (exit) { ancestors.delete(v as object); continue; }
    if (typeof v === 'string') { for (const t of scan(v, path)) threats.push(t); continue; }
    if (v === null || typeof v !== 'object') continue;
    if (depth >= maxDepth || ancestors.has(v)) {
      threats.push({ type: 'depth_exceeded', severity: 'medium', offset: 0, length: 0, path,
        description: ancestors.has(v) ? 'circular structure' : `nesting deeper than max_scan_depth (${maxDepth})`, rule: 'json.depth' });
      continue;
    }
    ancestors.add(v);
    stack.push({ v, path, depth, exit: true });
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ v: v[i], path: join(path, i), depth: depth + 1 });
    } else {
      const entries = Object.entries(v as Record<string, unknown>);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [k, child] = entries[i]!;
        const childPath = join(path, k);
        for (const t of scan(k, childPath)) threats.push({ ...t, description: `${t.description} (in key)` });
        stack.push({ v: child, path: childPath, depth: depth + 1 });
      }
    }
  }
  return threats;
}
