import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

describe('package-lock.json', () => {
  it('should list every optional dependency of Biome, or `npm ci` refuses the lock', () => {
    const lock = JSON.parse(readFileSync(new URL('../package-lock.json', import.meta.url), 'utf8'));
    const optional = Object.keys(lock.packages['node_modules/@biomejs/biome'].optionalDependencies ?? {});
    const missing = optional.filter((name) => !lock.packages[`node_modules/${name}`]);
    expect(missing, 'run `npm run lock` (scripts/complete-lockfile.mjs) after installing packages').toEqual(
      [],
    );
  });
});
