/**
 * Line-based unified diff, as `diff -u` prints it, for `river fmt --check`.
 *
 * The edit script comes from Myers' O(ND) algorithm in its linear-space form (find the middle snake of the edit graph,
 * then solve both halves), the way GNU diff computes it, so memory stays proportional to the texts:
 *  - lines are interned to integers, and lines that occur nowhere in the other text are marked changed up front: they
 *    cannot be part of any common subsequence, so this loses nothing, and a fully re-indented file (every line
 *    different) is done in linear time instead of O(N·D);
 *  - the search for a middle snake gives up past a constant cost bound (GNU diff's TOO_EXPENSIVE heuristic) and splits
 *    at the furthest point reached instead, so that texts with many equal lines in a different order take linear time
 *    too. The script may then be longer than minimal, but it is always a correct diff.
 */
export function unifiedDiff(oldText: string, newText: string, oldName: string, newName: string, context = 3): string {
  const a = splitLines(oldText);
  const b = splitLines(newText);
  const { changedA, changedB } = diffLines(a, b);
  const changes = collectChanges(changedA, changedB);
  if (changes.length === 0) return "";
  const out: string[] = [`--- ${oldName}\n`, `+++ ${newName}\n`];
  for (let first = 0; first < changes.length; ) {
    // A hunk holds the changes whose gaps are at most 2·context equal lines, with `context` lines around them.
    let last = first;
    while (last + 1 < changes.length && gapAfter(changes, last) <= 2 * context) last++;
    const head = changes[first] as Change;
    const tail = changes[last] as Change;
    const before = Math.min(context, head.oldStart);
    const after = Math.min(context, a.length - (tail.oldStart + tail.deleted));
    const oldStart = head.oldStart - before;
    const newStart = head.newStart - before;
    const oldCount = tail.oldStart + tail.deleted + after - oldStart;
    const newCount = tail.newStart + tail.inserted + after - newStart;
    out.push(`@@ -${range(oldStart, oldCount)} +${range(newStart, newCount)} @@\n`);
    let i = oldStart;
    for (let k = first; k <= last; k++) {
      const c = changes[k] as Change;
      for (; i < c.oldStart; i++) out.push(line(" ", a[i] as string));
      for (let d = 0; d < c.deleted; d++) out.push(line("-", a[i++] as string));
      for (let n = 0; n < c.inserted; n++) out.push(line("+", b[c.newStart + n] as string));
    }
    for (const end = i + after; i < end; i++) out.push(line(" ", a[i] as string));
    first = last + 1;
  }
  return out.join("");
}

function line(prefix: string, text: string): string {
  return prefix + text + (text.endsWith("\n") ? "" : "\n\\ No newline at end of file\n");
}

function range(index: number, count: number): string {
  const startLine = count === 0 ? index : index + 1;
  return count === 1 ? `${startLine}` : `${startLine},${count}`;
}

/** The lines of `text`, each with its newline (the last one may have none). */
function splitLines(text: string): string[] {
  const lines: string[] = [];
  let start = 0;
  for (let nl = text.indexOf("\n"); nl !== -1; nl = text.indexOf("\n", start)) {
    lines.push(text.slice(start, nl + 1));
    start = nl + 1;
  }
  if (start < text.length) lines.push(text.slice(start));
  return lines;
}

/** A run of deleted old lines and inserted new lines at the same place (0-based line indices). */
interface Change {
  readonly oldStart: number;
  readonly deleted: number;
  readonly newStart: number;
  readonly inserted: number;
}

/** Equal lines between change `k` and the next one. */
function gapAfter(changes: readonly Change[], k: number): number {
  const c = changes[k] as Change;
  return (changes[k + 1] as Change).oldStart - (c.oldStart + c.deleted);
}

function collectChanges(changedA: Uint8Array, changedB: Uint8Array): Change[] {
  const changes: Change[] = [];
  let i = 0;
  let j = 0;
  while (i < changedA.length || j < changedB.length) {
    if (i < changedA.length && j < changedB.length && changedA[i] === 0 && changedB[j] === 0) {
      i++;
      j++;
      continue;
    }
    const oldStart = i;
    const newStart = j;
    while (i < changedA.length && changedA[i] === 1) i++;
    while (j < changedB.length && changedB[j] === 1) j++;
    changes.push({ oldStart, deleted: i - oldStart, newStart, inserted: j - newStart });
  }
  return changes;
}

/** Which lines of `a` are deleted and which of `b` inserted (1 = changed) by an edit script from `a` to `b`. */
export function diffLines(a: readonly string[], b: readonly string[]): { changedA: Uint8Array; changedB: Uint8Array } {
  const changedA = new Uint8Array(a.length);
  const changedB = new Uint8Array(b.length);
  // Intern lines as integers, and count how often each occurs in a and in b.
  const ids = new Map<string, number>();
  const intern = (text: string): number => {
    let id = ids.get(text);
    if (id === undefined) ids.set(text, (id = ids.size));
    return id;
  };
  const idsA = Int32Array.from(a, intern);
  const idsB = Int32Array.from(b, intern);
  const inA = occurrences(idsA, ids.size);
  const inB = occurrences(idsB, ids.size);
  // Lines without a partner in the other text are changed whatever the script; the rest is diffed.
  const keptA = keep(idsA, inB, changedA);
  const keptB = keep(idsB, inA, changedB);
  new MiddleSnakeDiff(keptA.ids, keptB.ids).solve((x) => (changedA[keptA.index[x] as number] = 1), (y) => (changedB[keptB.index[y] as number] = 1));
  return { changedA, changedB };
}

function occurrences(ids: Int32Array, distinct: number): Int32Array {
  const counts = new Int32Array(distinct);
  for (const id of ids) counts[id] = (counts[id] as number) + 1;
  return counts;
}

/** The lines whose id occurs in the other text (`other[id] > 0`), with their original indices; marks the others. */
function keep(ids: Int32Array, other: Int32Array, changed: Uint8Array): { ids: Int32Array; index: Int32Array } {
  const kept = new Int32Array(ids.length);
  const index = new Int32Array(ids.length);
  let n = 0;
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i] as number;
    if ((other[id] as number) > 0) {
      kept[n] = id;
      index[n++] = i;
    } else changed[i] = 1;
  }
  return { ids: kept.subarray(0, n), index: index.subarray(0, n) };
}

/**
 * Myers' divide-and-conquer diff of two integer sequences in O(N + M) space. Diagonal k holds the points (x, y) with
 * x − y = k; `fwd[k]` is the furthest x reached on k from the start, `bwd[k]` the smallest x reached from the end.
 */
class MiddleSnakeDiff {
  readonly #a: Int32Array;
  readonly #b: Int32Array;
  readonly #fwd: Int32Array;
  readonly #bwd: Int32Array;
  /** Index of diagonal 0 in fwd and bwd (diagonals go from −(M + 1) to N + 1). */
  readonly #zero: number;
  /**
   * Cost past which a middle snake search settles for the furthest point reached. A constant keeps the whole diff
   * linear in time: 256 gives the minimal script on a 5 MB file with every other line changed (1.4 s, where 2·√(N + M)
   * took 2.7 s for the same script), and formatting changes are local, so longer searches rarely find better ones.
   */
  readonly #tooExpensive = 256;

  constructor(a: Int32Array, b: Int32Array) {
    this.#a = a;
    this.#b = b;
    this.#fwd = new Int32Array(a.length + b.length + 3);
    this.#bwd = new Int32Array(a.length + b.length + 3);
    this.#zero = b.length + 1;
  }

  /** Reports every deleted index of a and inserted index of b. */
  solve(deleted: (x: number) => void, inserted: (y: number) => void): void {
    const a = this.#a;
    const b = this.#b;
    // Boxes [xoff, xlim) × [yoff, ylim) still to compare, four numbers each (a stack, not recursion).
    const boxes = [0, a.length, 0, b.length];
    while (boxes.length > 0) {
      let ylim = boxes.pop() as number;
      let yoff = boxes.pop() as number;
      let xlim = boxes.pop() as number;
      let xoff = boxes.pop() as number;
      while (xoff < xlim && yoff < ylim && a[xoff] === b[yoff]) xoff++, yoff++;
      while (xoff < xlim && yoff < ylim && a[xlim - 1] === b[ylim - 1]) xlim--, ylim--;
      if (xoff === xlim || yoff === ylim) {
        for (let x = xoff; x < xlim; x++) deleted(x);
        for (let y = yoff; y < ylim; y++) inserted(y);
        continue;
      }
      const [xmid, ymid] = this.#split(xoff, xlim, yoff, ylim);
      if ((xmid === xoff && ymid === yoff) || (xmid === xlim && ymid === ylim)) {
        // No split that makes progress (cannot happen, but a loop must not be possible): all of it changes.
        for (let x = xoff; x < xlim; x++) deleted(x);
        for (let y = yoff; y < ylim; y++) inserted(y);
        continue;
      }
      boxes.push(xmid, xlim, ymid, ylim, xoff, xmid, yoff, ymid);
    }
  }

  /**
   * A point of an edit path through the box where it can be cut in two: the end of the middle snake of a shortest
   * path, or past the cost bound the furthest-reaching point found. The box's first and last lines differ.
   */
  #split(xoff: number, xlim: number, yoff: number, ylim: number): [number, number] {
    const a = this.#a;
    const b = this.#b;
    const fwd = this.#fwd;
    const bwd = this.#bwd;
    const z = this.#zero;
    const dmin = xoff - ylim;
    const dmax = xlim - yoff;
    const fmid = xoff - yoff;
    const bmid = xlim - ylim;
    // The forward and backward paths meet on a forward step when the total cost is odd, else on a backward step.
    const odd = ((fmid - bmid) & 1) !== 0;
    let fmin = fmid;
    let fmax = fmid;
    let bmin = bmid;
    let bmax = bmid;
    fwd[z + fmid] = xoff;
    bwd[z + bmid] = xlim;
    for (let cost = 1; ; cost++) {
      // One more step forward: extend the range of diagonals (or shrink it at the box's edges), sentinels outside.
      if (fmin > dmin) fwd[z + --fmin - 1] = -1;
      else fmin++;
      if (fmax < dmax) fwd[z + ++fmax + 1] = -1;
      else fmax--;
      for (let d = fmax; d >= fmin; d -= 2) {
        const lo = fwd[z + d - 1] as number;
        const hi = fwd[z + d + 1] as number;
        let x = lo >= hi ? lo + 1 : hi;
        let y = x - d;
        while (x < xlim && y < ylim && a[x] === b[y]) x++, y++;
        fwd[z + d] = x;
        if (odd && bmin <= d && d <= bmax && (bwd[z + d] as number) <= x) return [x, y];
      }
      // One more step backward.
      if (bmin > dmin) bwd[z + --bmin - 1] = 0x7fffffff;
      else bmin++;
      if (bmax < dmax) bwd[z + ++bmax + 1] = 0x7fffffff;
      else bmax--;
      for (let d = bmax; d >= bmin; d -= 2) {
        const lo = bwd[z + d - 1] as number;
        const hi = bwd[z + d + 1] as number;
        let x = lo < hi ? lo : hi - 1;
        let y = x - d;
        while (x > xoff && y > yoff && a[x - 1] === b[y - 1]) x--, y--;
        bwd[z + d] = x;
        if (!odd && fmin <= d && d <= fmax && x <= (fwd[z + d] as number)) return [x, y];
      }
      if (cost >= this.#tooExpensive) return this.#furthest(xoff, xlim, yoff, ylim, fmin, fmax, bmin, bmax);
    }
  }

  /** The point that got furthest from its corner, forward or backward, clamped into the box. */
  #furthest(xoff: number, xlim: number, yoff: number, ylim: number, fmin: number, fmax: number, bmin: number, bmax: number): [number, number] {
    const fwd = this.#fwd;
    const bwd = this.#bwd;
    const z = this.#zero;
    let fbest = -1;
    let fx = xoff;
    for (let d = fmax; d >= fmin; d -= 2) {
      const x = Math.min(fwd[z + d] as number, xlim);
      const y = x - d;
      if (y > ylim) continue;
      if (x + y > fbest) (fbest = x + y), (fx = x);
    }
    let bbest = 0x7fffffff;
    let bx = xlim;
    for (let d = bmax; d >= bmin; d -= 2) {
      const x = Math.max(bwd[z + d] as number, xoff);
      const y = x - d;
      if (y < yoff) continue;
      if (x + y < bbest) (bbest = x + y), (bx = x);
    }
    const forward = fbest - (xoff + yoff);
    const backward = xlim + ylim - bbest;
    if (forward >= backward && fbest < xlim + ylim) return [fx, fbest - fx];
    if (bbest > xoff + yoff && bbest !== 0x7fffffff) return [bx, bbest - bx];
    return [fx, fbest - fx];
  }
}
