/**
 * Tool pinning: the first time the proxy sees an upstream tool it records a hash of its name, description and
 * input schema; a later tools/list where a known tool differs is a "rug pull" (a tool that turned malicious after
 * it was approved) and is reported as tool_poisoning. Pins live as long as the process (persisting them comes with
 * the storage of the operations issue).
 */
import { createHash } from 'node:crypto';
import type { Threat } from '../../engine/threats.js';

/** JSON with object keys sorted, so the same tool always hashes the same. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

export class ToolPins {
  private readonly pins = new Map<string, string>();

  /** Checks the tools of a tools/list result; new tools are pinned, changed ones come back as threats. */
  check(result: unknown): Threat[] {
    const tools = (result as { tools?: unknown } | null)?.tools;
    if (!Array.isArray(tools)) return [];
    const out: Threat[] = [];
    tools.forEach((tool, i) => {
      const t = tool as { name?: unknown; description?: unknown; inputSchema?: unknown };
      if (typeof t?.name !== 'string') return;
      const hash = createHash('sha256').update(canonical({ name: t.name, description: t.description ?? null, inputSchema: t.inputSchema ?? null })).digest('hex');
      const known = this.pins.get(t.name);
      if (known === undefined) { this.pins.set(t.name, hash); return; }
      if (known !== hash) {
        out.push({ type: 'tool_poisoning', severity: 'high', offset: 0, length: 0, path: `result.tools[${i}]`, rule: 'mcp.tool-changed',
          description: `tool '${t.name.slice(0, 64)}' changed since it was first seen (description or schema differ): possible rug pull` });
      }
    });
    return out;
  }

  get size(): number { return this.pins.size; }
}
