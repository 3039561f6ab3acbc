/**
 * The line on which each invoice record starts in a JSON import file: the elements of the top-level
 * array, or of the array under the top-level key "invoices". One pass over text JSON.parse has already
 * accepted, so it only tracks strings, nesting and newlines.
 */
export function jsonRecordLines(text: string): number[] {
  const lines: number[] = [];
  let line = 1;
  let depth = 0;
  let recordsDepth = text.trimStart().startsWith('[') ? 1 : -1;
  let expectingRecord = false;
  let expectingValue = false;
  let lastKey = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      line++;
      continue;
    }
    if (c === 32 || c === 9 || c === 13) continue;
    if (expectingRecord && depth === recordsDepth && c !== 44 && c !== 93) {
      lines.push(line);
      expectingRecord = false;
    }
    if (c === 34) {
      const start = i;
      for (i++; text.charCodeAt(i) !== 34; i++) {
        if (text.charCodeAt(i) === 92) i++;
      }
      if (depth === 1 && recordsDepth === -1 && !expectingValue) lastKey = text.slice(start + 1, i);
    } else if (c === 123 || c === 91) {
      depth++;
      if (
        depth === recordsDepth ||
        (c === 91 && depth === 2 && recordsDepth === -1 && lastKey === 'invoices')
      ) {
        recordsDepth = depth;
        expectingRecord = true;
      }
    } else if (c === 125 || c === 93) {
      if (depth === recordsDepth && c === 93) break;
      depth--;
    } else if (c === 44) {
      if (depth === recordsDepth) expectingRecord = true;
      if (depth === 1) expectingValue = false;
    } else if (c === 58 && depth === 1) {
      expectingValue = true;
    }
  }
  return lines;
}
