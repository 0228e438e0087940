/**
 * Line-based unified diff (Myers' O(ND) algorithm), as `diff -u` prints it, for `river fmt --check`.
 */
export function unifiedDiff(oldText: string, newText: string, oldName: string, newName: string, context = 3): string {
  const a = splitLines(oldText);
  const b = splitLines(newText);
  const ops = diffLines(a, b);
  if (ops.every((o) => o.kind === "=")) return "";
  const out: string[] = [`--- ${oldName}\n`, `+++ ${newName}\n`];
  // Group changes into hunks with `context` lines around them.
  let i = 0;
  while (i < ops.length) {
    while (i < ops.length && (ops[i] as Op).kind === "=") i++;
    if (i >= ops.length) break;
    let start = Math.max(0, i - context);
    let end = i;
    for (;;) {
      while (end < ops.length && (ops[end] as Op).kind !== "=") end++;
      let run = end;
      while (run < ops.length && (ops[run] as Op).kind === "=") run++;
      if (run < ops.length && run - end <= 2 * context) end = run;
      else {
        end = Math.min(ops.length, end + context);
        break;
      }
    }
    const hunk = ops.slice(start, end);
    const first = ops[start] as Op;
    const oldCount = hunk.filter((o) => o.kind !== "+").length;
    const newCount = hunk.filter((o) => o.kind !== "-").length;
    out.push(`@@ -${range(first.oldIndex, oldCount)} +${range(first.newIndex, newCount)} @@\n`);
    for (const o of hunk) {
      const prefix = o.kind === "=" ? " " : o.kind;
      out.push(prefix + o.line + (o.line.endsWith("\n") ? "" : "\n\\ No newline at end of file\n"));
    }
    i = end;
    start = end;
  }
  return out.join("");
}

function range(index: number, count: number): string {
  const startLine = count === 0 ? index : index + 1;
  return count === 1 ? `${startLine}` : `${startLine},${count}`;
}

interface Op {
  readonly kind: "=" | "-" | "+";
  readonly line: string;
  /** 0-based index in the old text of this line (or of the next old line, for an insertion). */
  readonly oldIndex: number;
  readonly newIndex: number;
}

function splitLines(text: string): string[] {
  const lines = text.split(/(?<=\n)/);
  if (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  return lines;
}

function diffLines(a: readonly string[], b: readonly string[]): Op[] {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const offset = max + 1;
  let v: Int32Array = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let found = false;
  for (let d = 0; d <= max && !found; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x: number;
      if (k === -d || (k !== d && (v[offset + k - 1] as number) < (v[offset + k + 1] as number))) x = v[offset + k + 1] as number;
      else x = (v[offset + k - 1] as number) + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        found = true;
        break;
      }
    }
  }
  trace.push(v);
  // Backtrack through the saved frontiers to recover the edit script.
  const ops: Op[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 2; d >= 0; d--) {
    v = trace[d] as Int32Array;
    const k = x - y;
    let prevK: number;
    if (k === -d || (k !== d && (v[offset + k - 1] as number) < (v[offset + k + 1] as number))) prevK = k + 1;
    else prevK = k - 1;
    const prevX = d === 0 ? 0 : (v[offset + prevK] as number);
    const prevY = d === 0 ? 0 : prevX - prevK;
    while (x > prevX && y > prevY) {
      x--;
      y--;
      ops.push({ kind: "=", line: a[x] as string, oldIndex: x, newIndex: y });
    }
    if (d > 0) {
      if (x === prevX) {
        y--;
        ops.push({ kind: "+", line: b[y] as string, oldIndex: x, newIndex: y });
      } else {
        x--;
        ops.push({ kind: "-", line: a[x] as string, oldIndex: x, newIndex: y });
      }
    }
  }
  return ops.reverse();
}
