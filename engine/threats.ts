/** Threat types, severities and the scan result shape: the public contract of the engine. */

export const THREAT_TYPES = [
  'unicode_invisible', 'unicode_bidi', 'unicode_tag', 'unicode_homoglyph', 'unicode_mixed_script', 'unicode_control',
  'invalid_utf8', 'prompt_injection', 'jailbreak', 'tool_poisoning', 'sql_injection', 'nosql_injection', 'xss',
  'command_injection', 'path_traversal', 'ldap_injection', 'template_injection', 'xxe', 'secret_exposure',
  'session_id_exposure', 'encoded_payload', 'depth_exceeded',
] as const;

export type ThreatType = (typeof THREAT_TYPES)[number];

/** Findings about characters (the Unicode classes and invalid UTF-8), as opposed to what the text says or runs. */
export const UNICODE_TYPES: ReadonlySet<ThreatType> = new Set(THREAT_TYPES.filter((t) => t.startsWith('unicode_') || t === 'invalid_utf8'));
/** The families written in words (prompt injection, jailbreak, tool poisoning): what gluing and leetspeak hide. */
export const WORDING_TYPES: ReadonlySet<ThreatType> = new Set(['prompt_injection', 'jailbreak', 'tool_poisoning']);

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}

export function bumpSeverity(s: Severity, by = 1): Severity {
  return SEVERITIES[Math.max(0, Math.min(SEVERITIES.length - 1, severityRank(s) + by))]!;
}

export interface Threat {
  type: ThreatType;
  severity: Severity;
  /** Offset into the original input: UTF-16 code units for string input, bytes for byte input. */
  offset: number;
  length: number;
  description: string;
  /** JSON path of the value that carried it (scanJson only), e.g. `params.arguments.query`. */
  path?: string;
  /** Decode chain that exposed it, outermost first, e.g. `base64>url`. */
  decoded?: string;
  /** Stable id of the rule that fired. */
  rule?: string;
}

export interface ScanResult {
  threats: Threat[];
  blocked: boolean;
  /** Bytes scanned (UTF-8). */
  bytes: number;
  /** Present when policy is `neutralize` and the input changed. */
  neutralized?: string;
}

/** A threat counts as a detection at medium or above. */
export function isDetection(t: Threat): boolean {
  return severityRank(t.severity) >= 1;
}
