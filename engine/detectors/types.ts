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
  /**
   * At least the number of ignored (IGN) bytes in norm: a gap of g bytes holds at least g - ignored characters, so
   * most distances are decided without counting (Infinity when unknown).
   */
  ignored: number;
  /** Characters before each 16-byte block of norm, from the core (whole-input scans). */
  charIndex?: Uint32Array;
  /**
   * Characters (non-IGN bytes) before each 64-byte block, built on first need by rules.ts when a gap is long and the
   * core gave no index:
   * distances then cost a subtraction and two partial blocks however many ignored bytes pad them.
   */
  chars?: Uint32Array;
}
