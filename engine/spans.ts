/** Byte spans of the input and a stabbing index over them (which spans overlap a range), built once per scan. */

export interface Span { start: number; end: number; name?: string }

/**
 * Spans sorted by start with a running maximum of ends: a query binary-searches its first candidate and walks only
 * the spans that can overlap, so annotating n findings against m spans stays near O((n + m) log m).
 */
export function spanIndex<T extends Span>(spans: T[]): (start: number, end: number) => T[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  const maxEnd: number[] = [];
  let m = -1;
  for (const s of sorted) { m = Math.max(m, s.end); maxEnd.push(m); }
  return (start, end) => {
    let lo = 0, hi = sorted.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (maxEnd[mid]! > start) hi = mid; else lo = mid + 1; }
    const out: T[] = [];
    for (let i = lo; i < sorted.length && sorted[i]!.start < end; i++) if (sorted[i]!.end > start) out.push(sorted[i]!);
    return out;
  };
}

