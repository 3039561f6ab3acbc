import { type Document, isAlias, isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import type { ConfigProblem } from './config-error.ts';
import { formatPath } from './config-error.ts';

export type Env = Record<string, string | undefined>;

/** A YAML file as plain data, with the line of every key and list item, `${VAR}` already expanded. */
export interface YamlSource {
  value: unknown;
  problems: ConfigProblem[];
  /** Line of the deepest node on `path` that exists in the file. */
  lineOf(path: readonly PropertyKey[]): number;
}

const ENV_REF = /\$(\$?)\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;
const MAX_DEPTH = 64;
const STACK_OVERFLOW = /call stack size|stack overflow/i;
const TOO_DEEP = `nested too deeply to read; a config never needs more than ${MAX_DEPTH} levels`;

export function readYaml(text: string, env: Env): YamlSource {
  const counter = new LineCounter();
  let doc: Document;
  try {
    doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  } catch (error) {
    // The yaml parser recurses once per level of nesting: thousands of levels run out of stack.
    if (!(error instanceof RangeError)) throw error;
    return { value: null, problems: [{ line: 1, message: TOO_DEEP }], lineOf: () => 1 };
  }
  const lineAt = (offset: number) => counter.linePos(offset).line;
  const lines = new Map<string, number>([['', 1]]);
  const problems: ConfigProblem[] = doc.errors.map((e) => ({ line: lineAt(e.pos[0]), message: e.message }));
  const overflow = problems.find((p) => STACK_OVERFLOW.test(p.message));
  if (overflow)
    return { value: null, problems: [{ line: overflow.line, message: TOO_DEEP }], lineOf: () => 1 };
  const lineOf = (path: readonly PropertyKey[]) => {
    for (let end = path.length; end > 0; end--) {
      const line = lines.get(formatPath(path.slice(0, end)));
      if (line !== undefined) return line;
    }
    return 1;
  };
  if (problems.length > 0) return { value: null, problems, lineOf };

  const problem = (path: PropertyKey[], message: string) =>
    problems.push({ line: lineOf(path), field: formatPath(path), message });

  const expand = (raw: string, path: PropertyKey[]): string => {
    const expanded = raw.replace(ENV_REF, (whole, escaped: string, name: string, fallback?: string) => {
      if (escaped) return whole.slice(1);
      const value = env[name];
      if (fallback !== undefined) return value === undefined || value === '' ? fallback : value;
      if (value !== undefined) return value;
      problem(path, `environment variable ${name} is not set; set it, or write \${${name}:-default} here`);
      return whole;
    });
    if (/(^|[^$])\$\{/.test(raw.replace(ENV_REF, ''))) {
      problem(
        path,
        `has a "$\{" that is not a variable; write \${NAME}, \${NAME:-default}, or $\${ for a literal`,
      );
    }
    return expanded;
  };

  const toPlain = (node: Node | null | undefined, path: PropertyKey[], depth: number): unknown => {
    if (node == null) return null;
    if (depth > MAX_DEPTH) {
      problem(path, 'is nested too deeply (is an alias pointing at itself?)');
      return null;
    }
    if (isAlias(node)) return toPlain(node.resolve(doc as Document) ?? null, path, depth + 1);
    if (isScalar(node)) {
      const { value } = node;
      if (typeof value === 'string') return expand(value, path);
      // A number with more digits than a double holds keeps its text, so no amount is ever rounded.
      if (typeof value === 'number' && (node.source?.replace(/\D/g, '').length ?? 0) > 15) return node.source;
      return value;
    }
    if (isSeq(node)) {
      return node.items.map((item, index) => {
        const itemPath = [...path, index];
        const start = (item as Node | null)?.range?.[0];
        if (start !== undefined) lines.set(formatPath(itemPath), lineAt(start));
        return toPlain(item as Node, itemPath, depth + 1);
      });
    }
    if (isMap(node)) {
      const result: Record<string, unknown> = {};
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : null;
        const keyLine = (pair.key as Node | null)?.range?.[0];
        if (key === null) {
          problems.push({
            line: keyLine === undefined ? lineOf(path) : lineAt(keyLine),
            message: 'keys must be plain words',
          });
          continue;
        }
        const keyPath = [...path, key];
        if (keyLine !== undefined) lines.set(formatPath(keyPath), lineAt(keyLine));
        // defineProperty, so a key named `__proto__` is data, not a prototype switch.
        Object.defineProperty(result, key, {
          value: toPlain(pair.value as Node | null, keyPath, depth + 1),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return result;
    }
    return null;
  };

  return { value: toPlain(doc.contents as Node | null, [], 0), problems, lineOf };
}
