// @databases: none
// Small need counts hidden in the bilan: 1 to 4 shown « < 5 », and no hidden count left to be
// found again by subtraction from a row's or a column's total.
import t from 'tap';
import { hiddenCells } from '../../server/reports/suppression.ts';

const rowSum = { whole: 0, parts: [1, 2, 3] };

t.test('1 to 4 are hidden, 0 and 5 or more are not', async (t) => {
  t.same(hiddenCells({ rows: [[0, 1, 4, 5, 120]], totalRow: false }), [[null, 'small', 'small', null, null]]);
});

t.test('a single hidden count in a sum hides the smallest other count of that sum', async (t) => {
  // 12 = 9 + 3 + 0: the 3 would be 12 − 9 − 0.
  t.same(hiddenCells({ rows: [[12, 9, 3, 0]], rowSum, totalRow: false }), [[null, 'secondary', 'small', null]]);
  // Columns: 20 and 2 over a total of 22; the 2 would be 22 − 20.
  t.same(hiddenCells({ rows: [[20], [2], [22]], totalRow: true }), [['secondary'], ['small'], [null]]);
});

t.test('hidden counts whose sum gives them away (all 1, or all 4) hide one more', async (t) => {
  // 12 = 10 + 1 + 1: two hidden counts summing to 2 are both 1.
  t.same(hiddenCells({ rows: [[12, 10, 1, 1]], rowSum, totalRow: false }), [[null, 'secondary', 'small', 'small']]);
  // 18 = 10 + 4 + 4.
  t.same(hiddenCells({ rows: [[18, 10, 4, 4]], rowSum, totalRow: false }), [[null, 'secondary', 'small', 'small']]);
  // 14 = 10 + 1 + 3: 1 and 3, or 2 and 2, or 3 and 1: nothing given away.
  t.same(hiddenCells({ rows: [[14, 10, 1, 3]], rowSum, totalRow: false }), [[null, null, 'small', 'small']]);
});

t.test('rows and columns together, until no sum gives a count away', async (t) => {
  // Two categories and their total. Row 1: 7 = 5 + 2 + 0 hides the 5 (the smallest other);
  // then column 1 (5 hidden, 6 shown, total 11) would give the 5 away: the 6 goes too.
  const rows = [
    [7, 5, 2, 0],
    [9, 6, 0, 3],
    [16, 11, 2, 3],
  ];
  const hidden = hiddenCells({ rows, rowSum, totalRow: true });
  for (const [i, row] of rows.entries()) {
    // Every equation keeps zero or at least two unknowns that are not all 1 or all 4.
    const unknown = row.filter((_, j) => hidden[i]![j]);
    t.not(unknown.length, 1, `row ${i}`);
  }
  for (let j = 0; j < 4; j++) t.not(rows.filter((_, i) => hidden[i]![j]).length, 1, `column ${j}`);
  t.equal(hidden[0]![2], 'small');
  t.equal(hidden[1]![3], 'small');
});

t.test('nothing to hide in a sum of zeros', async (t) => {
  t.same(hiddenCells({ rows: [[3, 3, 0, 0], [0, 0, 0, 0], [3, 3, 0, 0]], rowSum, totalRow: true }), [
    ['small', 'small', null, null],
    [null, null, null, null],
    ['small', 'small', null, null],
  ]);
});
