/**
 * The file Piscina loads in each worker thread. Piscina tries require() before import(), and Node 20's require() of
 * an ES module (worker.js) once crashed V8 in CI ("IsGraphAsync must be used on an instantiated module"): this
 * CommonJS entry is required instead and loads the ES module with import(), once per thread.
 */
import type { PoolTask } from './worker.js';

let handler: ((task: PoolTask) => unknown) | undefined;

module.exports = async function scan(task: PoolTask): Promise<unknown> {
  handler ??= (await import('./worker.js')).default;
  return handler(task);
};
