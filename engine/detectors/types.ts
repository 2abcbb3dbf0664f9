/** What detectors see of one core scan, and what they return. */
import type { Severity, ThreatType } from '../threats.js';

export interface Hit {
  pattern: number;
  start: number;
  end: number;
}

/** A finding in byte offsets of the scanned buffer, before offsets are mapped for the caller. */
export interface Finding {
  type: ThreatType;
  severity: Severity;
  start: number;
  end: number;
  description: string;
  rule: string;
  decoded?: string;
}

export interface ScanView {
  /** Original bytes (a view into core memory, valid during detection only). */
  raw: Uint8Array;
  /** Normalized bytes, same length as raw. */
  norm: Uint8Array;
  /** Ignored (IGN) bytes in norm: a gap of g bytes holds at least g - ignored characters. */
  ignored: number;
  /** Characters before each 16-byte block of norm (written by the core): a distance costs two lookups. */
  charIndex: Uint32Array;
}
