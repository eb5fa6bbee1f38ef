// @databases: none
// One commune, whatever its spelling: case, accents, hyphens and apostrophes do not make another.
import t from 'tap';
import { communeKey, listedCommune, uniqueCommunes } from '../../server/domain/communes.ts';

const list = ['Cayenne', 'Rémire-Montjoly', "Saint-Martin-d'Hères", 'Échirolles'];

t.test('the list spelling of a commune typed another way', async (t) => {
  t.equal(listedCommune(list, 'cayenne'), 'Cayenne');
  t.equal(listedCommune(list, '  CAYENNE '), 'Cayenne');
  t.equal(listedCommune(list, 'remire montjoly'), 'Rémire-Montjoly');
  t.equal(listedCommune(list, 'saint martin d’heres'), "Saint-Martin-d'Hères", 'typographic apostrophe, no hyphens, no accent');
  t.equal(listedCommune(list, 'echirolles'), 'Échirolles');
  t.equal(listedCommune(list, '75001 Paris'), undefined);
  t.equal(listedCommune(list, 'Cayenne 97300'), undefined, 'a postcode makes another name');
  t.equal(listedCommune(list, ''), undefined);
  t.equal(listedCommune([], 'Cayenne'), undefined);
});

t.test('a list keeps one spelling of each commune, the first', async (t) => {
  t.same(uniqueCommunes(['Cayenne', 'Kourou', 'cayenne', 'KOUROU', 'Matoury']), ['Cayenne', 'Kourou', 'Matoury']);
  t.equal(communeKey('Saint-Martin-d’Hères'), communeKey("saint martin d'heres"));
});
