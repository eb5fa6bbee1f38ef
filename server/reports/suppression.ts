// Small counts of access needs are hidden in what leaves the platform (the bilan, its print, its
// CSV files): a need is health data, and « 1 need for an interpreter in this commune » can point at
// a person. The rule, also written on the bilan page and in the README:
//  - every count from 1 to 4 is shown « < 5 » (0 stays: it points at nobody);
//  - a hidden count must not be found again by subtraction: in each sum of the table (a row's
//    total = its parts, a column's total = its rows), when the hidden cells of that sum could be
//    worked out (a single one; or all of them 1, or all 4, as their sum would tell), the smallest
//    other non-zero count of that sum is hidden too, shown « masqué »; repeated until no sum gives
//    one away.
// Shares computed from a hidden count are hidden as well (by the table builder).

export const SMALL_COUNT_LIMIT = 5;

export type Hidden = 'small' | 'secondary' | null;

export interface CountGrid {
  /** Counts, one array per row; the last row is the column totals when `totalRow`. */
  rows: number[][];
  /** Each row's total column and the columns that add up to it (a complete split, e.g. by status). */
  rowSum?: { whole: number; parts: number[] };
  totalRow: boolean;
}

/** Which cells to hide, and why: the same shape as `grid.rows`. */
export function hiddenCells(grid: CountGrid): Hidden[][] {
  const hidden: Hidden[][] = grid.rows.map((row) => row.map((n) => (n >= 1 && n < SMALL_COUNT_LIMIT ? 'small' : null)));
  // Each sum of the table, as the cells it ties together ([row, column] pairs).
  const sums: Array<Array<[number, number]>> = [];
  if (grid.rowSum) {
    const { whole, parts } = grid.rowSum;
    grid.rows.forEach((_, i) => sums.push([[i, whole], ...parts.map((j): [number, number] => [i, j])]));
  }
  if (grid.totalRow && grid.rows.length > 1) {
    const columns = grid.rows[0]!.length;
    for (let j = 0; j < columns; j++) sums.push(grid.rows.map((_, i): [number, number] => [i, j]));
  }
  const value = ([i, j]: [number, number]) => grid.rows[i]![j]!;
  const isHidden = ([i, j]: [number, number]) => hidden[i]![j] !== null;
  for (let changed = true; changed; ) {
    changed = false;
    for (const cells of sums) {
      const hiddenHere = cells.filter(isHidden);
      if (hiddenHere.length === 0) continue;
      // Small counts only (1 to 4): their sum, known from the others, tells them when it is n or 4n.
      const small = hiddenHere.every(([i, j]) => hidden[i]![j] === 'small');
      const total = hiddenHere.reduce((s, c) => s + value(c), 0);
      const givenAway = hiddenHere.length === 1 || (small && (total === hiddenHere.length || total === (SMALL_COUNT_LIMIT - 1) * hiddenHere.length));
      if (!givenAway) continue;
      const [next] = cells.filter((c) => !isHidden(c) && value(c) > 0).sort((a, b) => value(a) - value(b));
      if (!next) continue; // every other count of the sum is 0: nothing more to hide
      hidden[next[0]]![next[1]] = 'secondary';
      changed = true;
    }
  }
  return hidden;
}
