/** Error classes with stable codes; only server/ maps codes to statuses. */

export class KindlyGuardError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
    this.name = 'KindlyGuardError';
  }
}

export class CoreMissingError extends KindlyGuardError {
  constructor() {
    super('KG_ERR_CORE_MISSING', 'build/core.wasm is missing: run `npm run build` (npm install does it)');
  }
}

export class InputTooLargeError extends KindlyGuardError {
  constructor(size: number, limit: number) {
    super('KG_ERR_INPUT_TOO_LARGE', `input of ${size} bytes exceeds the scanner limit of ${limit} bytes`);
  }
}

export class ConfigError extends KindlyGuardError {
  constructor(message: string, readonly problems: string[] = [message]) {
    super('KG_ERR_CONFIG', message);
  }
}
