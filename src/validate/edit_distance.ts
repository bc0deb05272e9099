/**
 * The nearest name to a misspelt one, for "unknown option 'weight_decay' (did you mean
 * 'weightDecay'?)". Names are compared lower-cased without '_' and '-', so snake_case and
 * kebab-case spellings of a camelCase name are at distance 0.
 */

/** Levenshtein distance (insertions, deletions and substitutions each cost 1). */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitute = previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(substitute, previous[j] + 1, current[j - 1] + 1));
    }
    previous = current;
  }
  return previous[b.length];
}

const normalize = (s: string) => s.toLowerCase().replace(/[_-]/g, '');

/**
 * The candidate closest to `name`, when it is close enough to be a likely misspelling: within
 * max(2, a third of the name's length) edits, or one name containing the other. Else null.
 */
export function nearestName(name: string, candidates: readonly string[]): string | null {
  const n = normalize(name);
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const m = normalize(c);
    const d = n && m && (m.includes(n) || n.includes(m)) ? Math.min(1, editDistance(n, m)) : editDistance(n, m);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  const limit = Math.max(2, Math.floor(n.length / 3));
  return bestDistance <= limit ? best : null;
}
