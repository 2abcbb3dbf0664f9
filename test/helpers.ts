/** Shared helpers for the test suite (not a test file). */
import { isDetection, type ScanResult, type Threat, type ThreatType } from '../engine/index.js';

/** Compact description of a result, for assertion messages. */
export function describeThreats(threats: Threat[]): string {
  if (!threats.length) return 'no threats';
  return threats.map((t) => `${t.type}/${t.severity}@${t.offset}+${t.length}${t.decoded ? ` decoded=${t.decoded}` : ''} [${t.rule ?? ''}]`).join(', ');
}

export function detections(r: ScanResult): Threat[] {
  return r.threats.filter(isDetection);
}

/** True when a detection (severity >= medium) of `type` is present. */
export function hasDetection(r: ScanResult, type: ThreatType): boolean {
  return r.threats.some((t) => t.type === type && isDetection(t));
}

/** Text under a threat's span (string input). */
export function spanOf(text: string, t: Threat): string {
  return text.slice(t.offset, t.offset + t.length);
}

export const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');

/** Auth is tested in server-auth.test.ts; the other server tests turn it off so each is about its own feature. */
export const NO_AUTH = { enabled: false };
/** Likewise rate limits (tested in server-auth.test.ts): the default 30 per minute would stop a test suite. */
export const NO_LIMIT = { enabled: false };
