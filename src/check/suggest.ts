/** Levenshtein distance, bounded: returns `max + 1` as soon as the distance exceeds `max`. */
export function editDistance(a: string, b: string, max = Infinity): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const v = Math.min((prev[j] as number) + 1, (cur[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      cur.push(v);
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    prev = cur;
  }
  return prev[b.length] as number;
}

/** Names that differ only by case, `_`, `.` or `-` are the same name to a reader: the best possible suggestion. */
function normalized(s: string): string {
  return s.toLowerCase().replace(/[_.\-]/g, "");
}

/** How many edits a plausible typo of `name` has: a third of its length, at least 1, at most 3. */
function editLimit(name: string): number {
  return Math.max(1, Math.min(3, Math.floor(name.length / 3)));
}

/** A suggestion and how far it is from the name: 0 for the same normalized name, else the edit distance. */
export interface Match {
  readonly candidate: string;
  readonly score: number;
}

/** The better of two matches: the lower score, then the alphabetically first candidate. */
export function betterMatch(a: Match | undefined, b: Match | undefined): Match | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return b.score < a.score || (b.score === a.score && b.candidate < a.candidate) ? b : a;
}

/**
 * The candidate closest to `name`, if it is close enough to be a plausible typo (or differs only by `_`/`.`/case).
 * Ties are broken alphabetically so that the answer is deterministic. Linear in the candidates: for a large set
 * looked up many times, build a `SuggestionIndex`, which gives the same answers.
 */
export function closestMatch(name: string, candidates: Iterable<string>): Match | undefined {
  const n = normalized(name);
  const limit = editLimit(name);
  let best: Match | undefined;
  for (const c of candidates) {
    let score: number;
    if (normalized(c) === n) score = 0;
    else {
      const d = editDistance(name, c, limit);
      if (d > limit) continue;
      score = d;
    }
    best = betterMatch(best, { candidate: c, score });
  }
  return best;
}

/** The suggestion alone (see `closestMatch`). */
export function didYouMean(name: string, candidates: Iterable<string>): string | undefined {
  return closestMatch(name, candidates)?.candidate;
}

/** "; did you mean "x"?" or "". */
export function suggestion(name: string, candidates: Iterable<string>): string {
  return suggestionText(closestMatch(name, candidates));
}

/** A match as the end of a message: "; did you mean "x"?", or "" without one. */
export function suggestionText(match: Match | undefined): string {
  return match === undefined ? "" : `; did you mean "${match.candidate}"?`;
}

interface TrieNode {
  /** The candidate ending here, if any. */
  word: string | undefined;
  /** Child edges in ascending UTF-16 code unit order, as JavaScript compares strings. */
  readonly chars: string[];
  readonly kids: TrieNode[];
}

/**
 * A fixed set of candidates indexed for `closestMatch`, for sets looked up many times (every undefined reference of a
 * config is looked up among all its component ids: a linear scan per lookup made checking quadratic).
 *
 * The candidates form a trie walked with one row of the edit-distance table per trie level, so shared prefixes are
 * computed once and a branch is left as soon as every entry of its row exceeds the bound. The bound starts at 1 and
 * grows to the name's edit limit (at most 3), and the walk visits candidates in alphabetical order, so the first
 * candidate found is the answer: the work per lookup depends on how many candidates are within a few edits of the
 * name's prefixes, not on how many there are.
 */
export class SuggestionIndex {
  readonly #root: TrieNode = { word: undefined, chars: [], kids: [] };
  /** Normalized name → the alphabetically first candidate with it. */
  readonly #normalized = new Map<string, string>();
  /** The band of the edit-distance table (see `#first`), reused across lookups. */
  #cells = new Int32Array(0);

  constructor(candidates: Iterable<string>) {
    const sorted = [...new Set(candidates)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    for (const c of sorted) {
      const n = normalized(c);
      if (!this.#normalized.has(n)) this.#normalized.set(n, c);
      // Inserting in sorted order appends every new edge after its siblings, which keeps `chars` sorted.
      let node = this.#root;
      for (let i = 0; i < c.length; i++) {
        const ch = c[i] as string;
        const last = node.chars.length - 1;
        if (last >= 0 && node.chars[last] === ch) node = node.kids[last] as TrieNode;
        else {
          const kid: TrieNode = { word: undefined, chars: [], kids: [] };
          node.chars.push(ch);
          node.kids.push(kid);
          node = kid;
        }
      }
      node.word = c;
    }
  }

  /** The same answer as `closestMatch(name, candidates)`. */
  closest(name: string): Match | undefined {
    const same = this.#normalized.get(normalized(name));
    if (same !== undefined) return { candidate: same, score: 0 };
    const limit = editLimit(name);
    for (let bound = 1; bound <= limit; bound++) {
      const found = this.#first(name, bound);
      if (found !== undefined) return { candidate: found, score: bound };
    }
    return undefined;
  }

  /**
   * The alphabetically first candidate within `bound` edits of `name`, given that none is closer. An iterative DFS
   * (ids can be long) that keeps only the diagonal band of the edit-distance table a distance within `bound` can pass
   * through: row `d` (trie depth) is stored as cells `j` = d - bound - 1 ... d + bound + 1 of the name, and everything
   * outside the band is "too far". So a visited trie node costs at most 2 * bound + 1 cells, whatever the lengths.
   */
  #first(name: string, bound: number): string | undefined {
    const n = name.length;
    // The empty candidate sits at the root, and comes first alphabetically.
    if (this.#root.word !== undefined && n <= bound) return this.#root.word;
    const width = 2 * bound + 3;
    const far = bound + 1;
    const at = (d: number, j: number) => d * width + j - d + bound + 1;
    const needed = (n + bound + 2) * width;
    if (this.#cells.length < needed) this.#cells = new Int32Array(needed);
    const cells = this.#cells;
    cells.fill(far, 0, width);
    for (let j = 0; j <= Math.min(n, bound); j++) cells[at(0, j)] = j;
    const stack: { node: TrieNode; depth: number; next: number }[] = [{ node: this.#root, depth: 0, next: 0 }];
    while (stack.length > 0) {
      const top = stack[stack.length - 1] as { node: TrieNode; depth: number; next: number };
      if (top.next >= top.node.kids.length) {
        stack.pop();
        continue;
      }
      const ch = top.node.chars[top.next] as string;
      const kid = top.node.kids[top.next] as TrieNode;
      top.next++;
      const d = top.depth + 1;
      cells.fill(far, d * width, (d + 1) * width);
      let rowMin = far;
      for (let j = Math.max(0, d - bound), hi = Math.min(n, d + bound); j <= hi; j++) {
        const v = j === 0 ? d : Math.min(
          (cells[at(d - 1, j)] as number) + 1,
          (cells[at(d, j - 1)] as number) + 1,
          (cells[at(d - 1, j - 1)] as number) + (name[j - 1] === ch ? 0 : 1),
        );
        cells[at(d, j)] = v;
        if (v < rowMin) rowMin = v;
      }
      if (rowMin > bound) continue;
      if (kid.word !== undefined && n >= d - bound && n <= d + bound && (cells[at(d, n)] as number) <= bound) return kid.word;
      if (kid.kids.length > 0) stack.push({ node: kid, depth: d, next: 0 });
    }
    return undefined;
  }
}

const INDEXES = new WeakMap<object, SuggestionIndex>();

/**
 * The index of the candidate set held by `owner` (a schema's arguments, a scope's components), built on first use and
 * kept as long as the owner lives. The set must not change once it has been looked up.
 */
export function indexFor(owner: object, candidates: () => Iterable<string>): SuggestionIndex {
  let index = INDEXES.get(owner);
  if (index === undefined) {
    index = new SuggestionIndex(candidates());
    INDEXES.set(owner, index);
  }
  return index;
}
