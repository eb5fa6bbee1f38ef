// @databases: none
// The catalogue check in CI: keys used exist in every language, no unused keys, same placeholders.
import t from 'tap';
import { checkCatalogues, readCatalogues } from '../../scripts/check-catalogues.mjs';

t.test('every catalogue is complete, used and consistent', async (t) => {
  t.same(checkCatalogues(), []);
});

t.test('French and English are the built-in languages', async (t) => {
  t.same([...readCatalogues().keys()], ['en', 'fr']);
});
