import { describe, expect, it } from 'vitest';
import { jsonErrorLine } from './json-error-line.ts';

const errorOf = (text: string): string => {
  try {
    JSON.parse(text);
    return '';
  } catch (error) {
    return (error as Error).message;
  }
};

describe('jsonErrorLine', () => {
  it.each([
    ['a value missing after a key', '[\n  {"a": 1},\n  {"b": ,}\n]', 3],
    ['a bare word', '[\n\n  tru\n]', 3],
    ['a file cut short', '[\n  {"a": 1},\n  {"b": 2', 3],
    ['trailing text', '[1]\n\nx', 3],
    ['an unclosed string across lines', '[\n"abc\ndef"]', 2],
  ])('should find the line of %s', (_name, text, line) => {
    expect(errorOf(text)).not.toBe('');
    expect(jsonErrorLine(text, errorOf(text))).toBe(line);
  });
});
