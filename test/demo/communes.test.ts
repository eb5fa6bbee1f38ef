// @databases: none
// The demo's venues name communes of their territory's list, in the list's spelling (as the venue
// form now requires), and each territory lists communes without any event, so that the figures show
// what coverage means.
import t from 'tap';
import { DEMO_EVENTS, DEMO_TERRITORIES, DEMO_VENUES } from '../../server/demo/data.ts';

t.test('every demo venue is in a commune of its territory’s list, spelt as the list spells it', async (t) => {
  for (const venue of DEMO_VENUES) {
    const territory = DEMO_TERRITORIES.find((x) => x.key === venue.territory)!;
    t.ok(territory.communes.includes(venue.commune), `${venue.name}: ${venue.commune} in ${territory.name}`);
  }
});

t.test('each demo territory has listed communes without any event', async (t) => {
  for (const territory of DEMO_TERRITORIES) {
    const used = new Set(DEMO_EVENTS.filter((e) => e.territory === territory.key).map((e) => DEMO_VENUES.find((v) => v.key === e.venue)!.commune));
    t.ok(territory.communes.some((c) => !used.has(c)), `${territory.name}: a commune without events`);
  }
});
