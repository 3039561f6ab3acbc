/** Edit distance between two words (Levenshtein), for "did you mean" hints on typos. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** The candidate closest to `word`, if it is close enough to be a plausible typo. */
export function closestWord(word: string, candidates: readonly string[]): string | null {
  const normal = (text: string) => text.toLowerCase().replace(/-/g, '_');
  let best: string | null = null;
  let bestDistance = (word.length <= 4 ? 1 : word.length <= 8 ? 2 : 3) + 1;
  for (const candidate of candidates) {
    const d = distance(normal(word), normal(candidate));
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

/** `; did you mean "x"?` when a candidate is close, else an empty string. */
export function didYouMean(word: string, candidates: readonly string[]): string {
  const match = closestWord(word, candidates);
  return match ? `; did you mean "${match}"?` : '';
}
