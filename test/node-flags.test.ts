import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NODE_FLAGS } from '../src/node-flags.ts';

const read = (path: string) => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8');

describe('Node flags', () => {
  it('should be given to every way Duly starts: the bin shebang and the npm scripts', () => {
    const shebang = read('bin/duly.js').split('\n')[0] ?? '';
    const scripts = JSON.parse(read('package.json')).scripts as Record<string, string>;
    for (const flag of NODE_FLAGS) {
      expect(shebang, 'bin/duly.js shebang').toContain(flag);
      expect(scripts.start, 'npm start').toContain(flag);
      expect(scripts.duly, 'npm run duly').toContain(flag);
    }
  });
});
