/** npm run build: Unicode tables -> WASM core (asc, SIMD) -> automaton cache -> TypeScript (dist/). */
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = (name: string) => `${root}node_modules/.bin/${name}`;
const step = (label: string, cmd: string, args: string[]) => {
  const t0 = performance.now();
  process.stderr.write(`build: ${label} ... `);
  execFileSync(cmd, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  process.stderr.write(`${Math.round(performance.now() - t0)} ms\n`);
};

rmSync(`${root}dist`, { recursive: true, force: true });
step('unicode tables', bin('tsx'), ['scripts/gen-unicode-table.ts']);
step('wasm core', bin('asc'), ['--config', 'asconfig.json', '--target', 'release']);
step('automaton', bin('tsx'), ['scripts/gen-automaton.ts']);
step('typescript', bin('tsc'), ['-p', 'tsconfig.json']);
