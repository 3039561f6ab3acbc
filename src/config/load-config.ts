import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { DulyConfig } from '../domain/config.ts';
import { DulyError, isDulyError } from '../domain/errors.ts';
import { ConfigError, type ConfigProblem, formatPath } from './config-error.ts';
import { checkConfig } from './config-schema.ts';
import { type Env, readYaml, type YamlSource } from './yaml-source.ts';

export interface LoadConfigOptions {
  env: Env;
  /** Checks a channel's options with its provider's adapter; a DulyError's `place.field` is relative to the channel. */
  validateChannel?: (provider: string, options: Record<string, unknown>, name: string) => void;
}

/** The config shipped with Duly, used when no duly.yaml is found (the demo runs on it). */
export const DEFAULT_CONFIG_PATH = fileURLToPath(new URL('./default-config.yaml', import.meta.url));

/** `--config`, else `$DULY_CONFIG`, else `./duly.yaml` when it exists; null means "use the default". */
export function findConfigPath(cwd: string, explicit: string | undefined, env: Env): string | null {
  if (explicit) return resolve(cwd, explicit);
  if (env.DULY_CONFIG) return resolve(cwd, env.DULY_CONFIG);
  const local = resolve(cwd, 'duly.yaml');
  return existsSync(local) ? local : null;
}

export function loadConfigFile(path: string, opts: LoadConfigOptions): DulyConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(error);
    throw new DulyError('invalid_config', `cannot read the config file (${reason}); check the path`, {
      file: path,
    });
  }
  return parseConfigText(text, path, opts);
}

/** Parses duly.yaml text; throws one ConfigError (a DulyError 'invalid_config') listing every problem found. */
export function parseConfigText(text: string, file: string, opts: LoadConfigOptions): DulyConfig {
  const source = readYaml(text, opts.env);
  if (source.problems.length > 0 && source.value === null) throw new ConfigError(file, source.problems);
  const problems = [...source.problems];
  const input = source.value ?? {};
  if (typeof input !== 'object' || Array.isArray(input)) {
    throw new ConfigError(file, [
      { line: 1, message: 'the file must be a map of settings, like "timezone: UTC"' },
    ]);
  }
  problems.push(...channelProblems(input as Record<string, unknown>, source, opts));
  const { config, issues } = checkConfig(input);
  problems.push(...issues.map((issue) => problemAt(source, issue.path, issue.message)));
  if (problems.length > 0 || !config) throw new ConfigError(file, problems);
  return config;
}

function problemAt(source: YamlSource, path: readonly PropertyKey[], message: string): ConfigProblem {
  return { line: source.lineOf(path), field: formatPath(path) || undefined, message };
}

function channelProblems(input: Record<string, unknown>, source: YamlSource, opts: LoadConfigOptions) {
  const problems: ConfigProblem[] = [];
  const channels = input.channels;
  if (!opts.validateChannel || !channels || typeof channels !== 'object') return problems;
  for (const [name, raw] of Object.entries(channels)) {
    if (!raw || typeof raw !== 'object' || typeof raw.provider !== 'string') continue;
    const { provider, ...options } = raw as Record<string, unknown> & { provider: string };
    try {
      opts.validateChannel(provider, options, name);
    } catch (error) {
      const base = ['channels', name];
      if (isDulyError(error)) {
        const prefix = `channels.${name}.`;
        const relative = error.place.field?.startsWith(prefix)
          ? error.place.field.slice(prefix.length)
          : error.place.field;
        const field = relative ? relative.split('.') : [];
        problems.push(problemAt(source, [...base, ...field], error.message));
      } else if (error instanceof z.ZodError) {
        for (const issue of error.issues)
          problems.push(problemAt(source, [...base, ...issue.path], issue.message));
      } else {
        throw error;
      }
    }
  }
  return problems;
}
