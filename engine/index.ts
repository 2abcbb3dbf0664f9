/** Public engine API. */
export { createScanner, type Scanner, type ScanOptions } from './scanner.js';
export { loadConfigFile, resolveConfig, validateConfig, DEFAULT_CONFIG, type KindlyGuardConfig, type ScannerConfig, type PolicyConfig } from './config.js';
export { THREAT_TYPES, SEVERITIES, isDetection, type Threat, type ThreatType, type Severity, type ScanResult } from './threats.js';
export { KindlyGuardError, ConfigError, InputTooLargeError } from './errors.js';
export { createScanPool, PoolOverloadedError, PoolTimeoutError, PoolTaskError, PoolClosedError, type ScanPool, type ScanPoolOptions, type PoolScanOptions } from './pool/pool.js';
