/**
 * Tool pinning: the first time the proxy sees an upstream tool it records a hash of its name, description and
 * input schema; a later tools/list where a known tool differs is a "rug pull" (a tool that turned malicious after
 * it was approved) and is reported as tool_poisoning. Pins live in the shared state (every instance compares with the
 * same first sighting), keyed by the upstream, and are forgotten after `state.pin_ttl_days` (keys must expire).
 */
import { createHash } from 'node:crypto';
import type { Threat } from '../../engine/threats.js';
import type { SharedState } from '../state/state.js';

/** JSON with object keys sorted, so the same tool always hashes the same. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

export class ToolPins {
  private readonly prefix: string;

  /** `upstream` names the upstream (its URL or command line): pins of different upstreams never mix. */
  constructor(private readonly state: SharedState, upstream: string, private readonly ttlMs: number) {
    this.prefix = `pin:${createHash('sha256').update(upstream).digest('hex').slice(0, 16)}:`;
  }

  /** Checks the tools of a tools/list result; new tools are pinned, changed ones come back as threats. */
  async check(result: unknown): Promise<Threat[]> {
    const tools = (result as { tools?: unknown } | null)?.tools;
    if (!Array.isArray(tools)) return [];
    const found = await Promise.all(tools.map(async (tool, i): Promise<Threat | undefined> => {
      const t = tool as { name?: unknown; description?: unknown; inputSchema?: unknown };
      if (typeof t?.name !== 'string') return undefined;
      const hash = createHash('sha256').update(canonical({ name: t.name, description: t.description ?? null, inputSchema: t.inputSchema ?? null })).digest('hex');
      // Set if absent, and answer the pin found: one call, so two instances cannot both pin a different version.
      const known = await this.state.claim('pins', this.prefix + t.name, hash, this.ttlMs);
      if (known === undefined) return undefined;
      if (known === hash) {
        // Seen again unchanged: the pin lives on for another ttl (it expires only after ttl without a sighting). A
        // failed refresh is no reason to fail the answer: the pin is still there.
        await this.state.put('pins', this.prefix + t.name, hash, this.ttlMs).catch(() => undefined);
        return undefined;
      }
      return { type: 'tool_poisoning', severity: 'high', offset: 0, length: 0, path: `result.tools[${i}]`, rule: 'mcp.tool-changed',
        description: `tool '${t.name.slice(0, 64)}' changed since it was first seen (description or schema differ): possible rug pull` };
    }));
    return found.filter((t): t is Threat => t !== undefined);
  }
}
