/**
 * Scan results between threads as compact typed data: one Int32Array (transferred, not cloned) plus a table of the
 * distinct strings (descriptions, rules, paths), instead of a graph of objects per threat. A benign result is four
 * integers. A scan that failed in the worker travels as an error record, so one bad input does not fail its batch.
 */
import { KindlyGuardError } from '../errors.js';
import { SEVERITIES, THREAT_TYPES, type ScanResult, type Threat } from '../threats.js';

export interface EncodedResults {
  ints: Int32Array;
  strings: string[];
}

export type ResultOrError = ScanResult | KindlyGuardError;

const BLOCKED = 1, NEUTRALIZED = 2, FAILED = 4;
const NONE = -1;
/** Per result: flags, bytes (or error code), threat count (or error message), neutralized text. */
const HEAD = 4;
/** Per threat: type, severity, offset, length, description, rule, path, decoded. */
const PER_THREAT = 8;

const typeIndex = new Map<string, number>(THREAT_TYPES.map((t, i) => [t, i]));
const severityIndex = new Map<string, number>(SEVERITIES.map((s, i) => [s, i]));

export function encodeResults(results: ResultOrError[]): EncodedResults {
  let size = 0;
  for (const r of results) size += HEAD + (r instanceof Error ? 0 : r.threats.length * PER_THREAT);
  const ints = new Int32Array(size);
  const strings: string[] = [];
  const ids = new Map<string, number>();
  const str = (s: string | undefined) => {
    if (s === undefined) return NONE;
    let id = ids.get(s);
    if (id === undefined) { id = strings.length; strings.push(s); ids.set(s, id); }
    return id;
  };
  let at = 0;
  for (const r of results) {
    if (r instanceof Error) {
      ints.set([FAILED, str(r.code), str(r.message), NONE], at);
      at += HEAD;
      continue;
    }
    const flags = (r.blocked ? BLOCKED : 0) | (r.neutralized !== undefined ? NEUTRALIZED : 0);
    ints.set([flags, r.bytes, r.threats.length, str(r.neutralized)], at);
    at += HEAD;
    for (const t of r.threats) {
      ints.set([typeIndex.get(t.type)!, severityIndex.get(t.severity)!, t.offset, t.length, str(t.description),
        str(t.rule), str(t.path), str(t.decoded)], at);
      at += PER_THREAT;
    }
  }
  return { ints, strings };
}

export function decodeResults({ ints, strings }: EncodedResults): ResultOrError[] {
  const out: ResultOrError[] = [];
  let at = 0;
  while (at < ints.length) {
    const flags = ints[at]!;
    if (flags & FAILED) {
      out.push(new KindlyGuardError(strings[ints[at + 1]!]!, strings[ints[at + 2]!]!));
      at += HEAD;
      continue;
    }
    const count = ints[at + 2]!;
    const result: ScanResult = { threats: [], blocked: (flags & BLOCKED) !== 0, bytes: ints[at + 1]! };
    if (flags & NEUTRALIZED) result.neutralized = strings[ints[at + 3]!]!;
    at += HEAD;
    for (let i = 0; i < count; i++, at += PER_THREAT) {
      const t: Threat = {
        type: THREAT_TYPES[ints[at]!]!, severity: SEVERITIES[ints[at + 1]!]!, offset: ints[at + 2]!, length: ints[at + 3]!,
        description: strings[ints[at + 4]!]!,
      };
      // Same key order as the scanner builds them, so results compare equal field for field.
      if (ints[at + 5]! !== NONE) t.rule = strings[ints[at + 5]!]!;
      if (ints[at + 6]! !== NONE) t.path = strings[ints[at + 6]!]!;
      if (ints[at + 7]! !== NONE) t.decoded = strings[ints[at + 7]!]!;
      result.threats.push(t);
    }
    out.push(result);
  }
  return out;
}
