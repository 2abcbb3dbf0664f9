/** Package root: the scanner API. */
export * from './engine/index.js';
