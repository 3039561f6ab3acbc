import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { NODE_FLAGS } from '../src/node-flags.ts';

// Each benchmark runs in a process of its own, so its peak RSS is its own. `npm run bench -- tick` runs one.
const dir = fileURLToPath(new URL('.', import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('-bench.ts'))
  .filter((f) => only.length === 0 || only.some((name) => f.startsWith(name)))
  .sort();
let failed = 0;
for (const file of files) {
  const result = spawnSync(
    process.execPath,
    [...NODE_FLAGS, '--disable-warning=ExperimentalWarning', `${dir}${file}`],
    {
      stdio: 'inherit',
    },
  );
  if (result.status !== 0) {
    failed += 1;
    process.stderr.write(`bench ${file} failed with exit code ${result.status}\n`);
  }
}
process.exitCode = failed > 0 ? 1 : 0;
