/**
 * The line of a JSON syntax error. V8 names it in some messages ("… (line 3 column 7)") but not in
 * others ("Unexpected token 'x', … is not valid JSON", "Unexpected end of JSON input"). Then the error
 * is where the longest prefix that could still begin valid JSON ends: every text before it fails only
 * with "Unexpected end", and that property holds for all shorter prefixes, so a binary search finds it.
 * Runs only on a refused file: at most ~log2(size) parses.
 */
export function jsonErrorLine(text: string, message: string): number {
  const named = /line (\d+)/.exec(message);
  if (named) return Number(named[1]);
  let viable = 0;
  let broken = text.length;
  while (broken - viable > 1) {
    const middle = Math.floor((viable + broken) / 2);
    if (isUnfinishedJson(text.slice(0, middle))) viable = middle;
    else broken = middle;
  }
  // A prefix of the whole text that is only unfinished: the file ends too early.
  const at = isUnfinishedJson(text) ? text.length : viable;
  return text.slice(0, at).split('\n').length;
}

function isUnfinishedJson(prefix: string): boolean {
  try {
    JSON.parse(prefix);
    return true;
  } catch (error) {
    return /Unexpected end of JSON input/.test((error as Error).message);
  }
}
