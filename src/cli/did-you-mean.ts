// "Did you mean" for a mistyped flag, command or check id: the known name nearest by edit distance
// (optimal string alignment, so a swapped pair of letters costs one), when it is near enough to be
// a typo rather than another word.

function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}

/** The known name closest to `given`, or undefined when none is within a third of its length (at least 1, at most 3 edits). */
export function closest(given: string, known: readonly string[]): string | undefined {
  const limit = Math.min(3, Math.max(1, Math.floor(given.length / 3)));
  let best: { name: string; d: number } | undefined;
  for (const name of known) {
    const d = distance(given.toLowerCase(), name.toLowerCase());
    if (d <= limit && (!best || d < best.d)) best = { name, d };
  }
  return best?.name;
}

/** " (did you mean X?)" for the closest known name, or "" when none is close. */
export function didYouMean(given: string, known: readonly string[], prefix = ''): string {
  const near = closest(given, known);
  return near === undefined ? '' : ` (did you mean ${prefix}${near}?)`;
}
