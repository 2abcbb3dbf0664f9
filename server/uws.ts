/**
 * Loads uWebSockets.js and proves it is the native binary. The package in use (a community build; the official one
 * is not on npm) quietly falls back to a JavaScript shim over `ws` when its binary does not load, which would
 * turn the gateway into a much slower server without a word: refuse to start instead.
 */
import { createRequire } from 'node:module';
import { KindlyGuardError } from '../engine/errors.js';
import type * as Uws from 'uWebSockets.js';

const require = createRequire(import.meta.url);

export type UwsModule = typeof Uws;

export class UwsFallbackError extends KindlyGuardError {
  constructor(detail: string) {
    super('KG_ERR_UWS_NATIVE', `uWebSockets.js native binary is not in use (${detail}); refusing to start on the slow fallback. ` +
      `Check that node_modules/uWebSockets.js/binaries has uws_${process.platform}_${process.arch}_${process.versions.modules}.node ` +
      'and that UWS_USE_FALLBACK is not set.');
  }
}

/** The path of the loaded native addon, or undefined when the package fell back to its shim. */
export function nativeUwsBinary(): string | undefined {
  return Object.keys(require.cache).find((k) => /[\\/]binaries[\\/]uws_[^\\/]+\.node$/.test(k));
}

export function loadNativeUws(): UwsModule {
  if (/^(1|true)$/i.test(process.env.UWS_USE_FALLBACK ?? '')) throw new UwsFallbackError('UWS_USE_FALLBACK is set');
  // The shim announces itself with console.warn; silence it, since the error below says it better.
  const warn = console.warn, log = console.log;
  console.warn = console.log = () => {};
  let uws: UwsModule;
  try {
    uws = require('uWebSockets.js') as UwsModule;
  } finally {
    console.warn = warn;
    console.log = log;
  }
  if (!nativeUwsBinary()) throw new UwsFallbackError('its binary failed to load for this Node.js');
  return uws;
}
