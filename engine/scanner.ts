/** The public Scanner: scan text or bytes, scan JSON values, apply policy (block / neutralize / report). */
import { Core } from './core.js';
import { loadCatalogue } from './catalogue-cache.js';
import { FAMILIES, type Family } from './patterns/index.js';
import { resolveConfig, type ConfigInput, type KindlyGuardConfig, type CustomPattern } from './config.js';
import { scanBytes, type ScanContext } from './scan-bytes.js';
import { byteToUtf16Mapper } from './offsets.js';
import { walkJson } from './json-walk.js';
import { neutralizeText } from './neutralize.js';
import { EventBuffer } from './event-buffer.js';
import { joinArtifact } from './detectors/floods.js';
import { severityRank, type ScanResult, type Threat } from './threats.js';
import type { Finding } from './detectors/types.js';

export interface ScanOptions {
  /** Correlation key (client or session id) for the event buffer. */
  source?: string;
}

export interface Scanner {
  readonly config: KindlyGuardConfig;
  scan(input: string | Uint8Array, options?: ScanOptions): ScanResult;
  scanJson(value: unknown, options?: ScanOptions): ScanResult;
  /** Returns input with threats removed; the result rescans clean. */
  neutralize(input: string): string;
}

function customFamilies(list: CustomPattern[]): Family[] {
  return list.map((p) => ({
    type: p.type,
    tags: { [`CUSTOM_${p.id}`]: [p.pattern] },
    rules: [{ id: `custom.${p.id}`, seq: [`CUSTOM_${p.id}`], severity: p.severity, description: p.description ?? `custom pattern ${p.id}` }],
  }));
}

function toThreats(findings: Finding[], input: string | Uint8Array, bytes: number, path?: string): Threat[] {
  if (!findings.length) return []; // the offset map costs a pass over the text: only build it when needed
  const map = typeof input === 'string' ? byteToUtf16Mapper(input, bytes) : (b: number) => b;
  return findings.map((f) => {
    const offset = map(f.start);
    const t: Threat = { type: f.type, severity: f.severity, offset, length: map(f.end) - offset, description: f.description, rule: f.rule };
    if (path !== undefined) t.path = path;
    if (f.decoded) t.decoded = f.decoded;
    return t;
  });
}

/**
 * Findings about a whole text that is only a handler name ("onClick") or an escaped "<": filter probes when sent as a
 * message, ordinary data as a JSON value (a list of React props, an entity table).
 */
const DATA_VALUE_PROBES = new Set(['xss.handler-probe', 'xss.lt-probe']);

/** Joined text scanned for payloads split across JSON strings; larger documents are checked value by value only. */
const MAX_JOIN = 64 * 1024;

/**
 * A payload cut into two JSON strings ({"a": "ignore all", "b": "previous instructions"}) is whole again when the
 * strings are read in order: scan them joined by newlines and keep the detections that span two or more strings,
 * reported on the first string's path.
 */
function acrossValues(parts: Array<{ text: string; path: string }>, scan: (joined: string) => Threat[]): Threat[] {
  if (parts.length < 2) return [];
  const starts: number[] = [];
  let joined = '';
  for (const p of parts) {
    if (joined.length + p.text.length + 1 > MAX_JOIN) break;
    starts.push(joined.length);
    joined += p.text + '\n';
  }
  if (starts.length < 2) return [];
  const partAt = (offset: number) => {
    let lo = 0, hi = starts.length - 1;
    while (lo < hi) { const mid = (lo + hi + 1) >> 1; if (starts[mid]! <= offset) lo = mid; else hi = mid - 1; }
    return lo;
  };
  const out: Threat[] = [];
  for (const t of scan(joined)) {
    if (severityRank(t.severity) < 1 || joinArtifact(t)) continue;
    const first = partAt(t.offset), last = partAt(Math.max(t.offset, t.offset + t.length - 1));
    if (first === last) continue; // inside one string: already reported by its own scan
    const offset = t.offset - starts[first]!;
    out.push({ ...t, path: parts[first]!.path, offset, length: parts[first]!.text.length - offset,
      description: `${t.description} (split across JSON values ${parts[first]!.path} .. ${parts[last]!.path})` });
  }
  return out;
}

export function createScanner(input?: ConfigInput | KindlyGuardConfig): Scanner {
  const config = resolveConfig(input as ConfigInput);
  const families = [...FAMILIES, ...customFamilies(config.scanner.custom_patterns)];
  const cat = loadCatalogue(families);
  const core = new Core(cat.automaton, config.scanner.max_input_bytes, cat.native);
  const ctx: ScanContext = { core, cat, config };
  const events = config.scanner.enable_event_buffer ? new EventBuffer() : undefined;

  const blocked = (threats: Threat[]) =>
    config.policy.action === 'block' && threats.some((t) => severityRank(t.severity) >= severityRank(config.policy.block_threshold));

  function scanOne(input: string | Uint8Array, options?: ScanOptions): { threats: Threat[]; bytes: number } {
    const { findings, bytes } = scanBytes(ctx, input);
    let threats = toThreats(findings, input, bytes);
    if (events && options?.source !== undefined && typeof input === 'string') {
      threats = threats.concat(events.correlate(options.source, input, (joined) => {
        const r = scanBytes(ctx, joined);
        return toThreats(r.findings, joined, r.bytes);
      }));
    }
    return { threats, bytes };
  }

  function finish(threats: Threat[], bytes: number, original?: string): ScanResult {
    const result: ScanResult = { threats, blocked: blocked(threats), bytes };
    if (config.policy.action === 'neutralize' && original !== undefined && threats.length) {
      result.neutralized = neutralizeText(original, (s) => scanOne(s).threats);
    }
    return result;
  }

  return {
    config,
    scan(input, options) {
      const { threats, bytes } = scanOne(input, options);
      return finish(threats, bytes, typeof input === 'string' ? input : undefined);
    },
    scanJson(value, options) {
      let bytes = 0;
      const parts: Array<{ text: string; path: string }> = [];
      const threats = walkJson(value, config.scanner.max_scan_depth, (text, path) => {
        if (typeof text === 'string') parts.push({ text, path });
        const r = scanOne(text, options);
        bytes += r.bytes;
        return r.threats.filter((t) => !DATA_VALUE_PROBES.has(t.rule!)).map((t) => ({ ...t, path }));
      });
      // Split payloads only add news: a type already reported at that path is not repeated.
      const seen = new Set(threats.map((t) => `${t.type} ${t.path}`));
      for (const t of acrossValues(parts, (joined) => scanOne(joined).threats)) if (!seen.has(`${t.type} ${t.path}`)) threats.push(t);
      return { threats, blocked: blocked(threats), bytes };
    },
    neutralize(input) {
      return neutralizeText(input, (s) => scanOne(s).threats);
    },
  };
}
