import type { Engine } from './open-engine.ts';

/** What commands get from the CLI shell: output, and an engine opened for the duration of the command. */
export interface CliEnv {
  out(line: string): void;
  err(line: string): void;
  withEngine<T>(work: (engine: Engine) => Promise<T>): Promise<T>;
}
