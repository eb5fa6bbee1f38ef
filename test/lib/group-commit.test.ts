// @databases: none
import t from 'tap';
import { groupCommit } from '../../server/lib/group-commit.ts';

t.test('callers of one tick share a flush; those arriving during it share the next; an error reaches only its group', async (t) => {
  const groups: number[][] = [];
  let release: () => void = () => {};
  const add = groupCommit(async (items: number[]) => {
    groups.push(items);
    if (items.includes(13)) throw new Error('refusé');
    await new Promise<void>((resolve) => (release = resolve));
    return items.map((n) => n * 10);
  });
  const tick = () => new Promise((resolve) => setImmediate(resolve));

  const first = Promise.all([add(1), add(2), add(3)]);
  await tick();
  t.same(groups, [[1, 2, 3]], 'one flush for the three callers of the same tick');
  const second = Promise.allSettled([add(4), add(13)]);
  await tick();
  t.same(groups, [[1, 2, 3]], 'nothing more while the first flush runs');
  release();
  t.same(await first, [10, 20, 30], 'each caller gets its own result');
  t.same((await second).map((r) => r.status), ['rejected', 'rejected'], 'the error reaches every caller of its group');
  t.same(groups, [[1, 2, 3], [4, 13]], 'what arrived meanwhile went in the next flush');

  const third = add(5);
  await tick();
  release();
  t.equal(await third, 50, 'a later caller is not affected by the earlier error');
});
