// An organisation's venues: list, add, edit. For its members (and administrators), checked once
// in the hook.
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { FeatureOptions } from '../plugins/feature.ts';
import { currentUser, signedInWith } from '../accounts/index.ts';
import { VENUE_FACT_LABELS } from '../domain/vocabulary.ts';
import { t } from '../i18n/index.ts';
import { setFlash, takeFlash } from '../plugins/flash.ts';
import { idParam } from '../plugins/params.ts';
import type { FieldError } from '../plugins/views.ts';
import { contentSecurityPolicy } from '../plugins/security.ts';
import { organisationForMember, venueOfOrganisation } from './access.ts';
import { placeVenue } from './address-lookup.ts';
import { communeField, parseVenueForm, venueFormValues, venueToFormValues, type VenueFormValues } from './venue-schemas.ts';
import { createVenue, organisationVenues, updateVenue, venueFacts } from './venues.ts';
import { formOptions } from './view-models.ts';

type Body = Record<string, unknown>;

function venueFormPage(
  reply: FastifyReply,
  data: {
    lookup: boolean;
    map: { tileUrl: string; attribution: string };
    organisation: { id: number; name: string };
    communes: readonly string[];
    venueId?: number;
    values: VenueFormValues;
    stored?: boolean;
  },
  errors: FieldError[] = [],
) {
  const action = data.venueId
    ? `/espace/organisations/${data.organisation.id}/lieux/${data.venueId}/modifier`
    : `/espace/organisations/${data.organisation.id}/lieux/nouveau`;
  return reply.page(
    'events/venue-form',
    { ...data, action, options: { ...formOptions(), commune: communeField(data.communes, data.values.venueCommune, data.stored) } },
    { title: data.venueId ? t('events:venues.editPageTitle', { name: data.values.venueName }) : t('events:venues.addTitle'), errors, personal: true },
  );
}

/** « Le lieu … est ajouté. » and what the address lookup has to say. */
const withNotice = (message: string, notice: string | null) => (notice ? `${message} ${notice}` : message);

const venueRoutes: FastifyPluginAsync<FeatureOptions> = async (app, { db, clock, config }) => {
  const lookup = config.addressLookupUrl !== undefined;
  // The form's map, to place the pin (the coordinate fields work without it): its tiles are allowed.
  const map = { tileUrl: config.mapTileUrl, attribution: config.mapAttribution ?? t('common:map.attribution') };
  const withMap = { helmet: { contentSecurityPolicy: contentSecurityPolicy(config, { mapTiles: true }) } };
  const member = signedInWith((request, user) => organisationForMember(db, user, idParam(request, 'orgId')));
  app.addHook('preHandler', member.hook);

  app.get('/espace/organisations/:orgId/lieux', async (request, reply) => {
    const { organisation } = member.of(request);
    const venues = (await organisationVenues(db, organisation.id)).map((v) => ({ ...v, facts: venueFacts(v).map((f) => VENUE_FACT_LABELS[f]) }));
    const flash = takeFlash(request);
    return reply.page('events/venues', { organisation, venues, flash }, { title: t('events:venues.title', { organisation: organisation.name }), personal: true, statusMessage: flash });
  });

  app.get('/espace/organisations/:orgId/lieux/nouveau', withMap, async (request, reply) => {
    const { organisation, territory } = member.of(request);
    return venueFormPage(reply, { lookup, map, organisation, communes: territory.communes, values: venueFormValues({}) });
  });

  app.post('/espace/organisations/:orgId/lieux/nouveau', withMap, async (request, reply) => {
    const { organisation, territory } = member.of(request);
    const parsed = parseVenueForm(request.body as Body, territory.communes);
    if (parsed.errors.length > 0) return venueFormPage(reply, { lookup, map, organisation, communes: territory.communes, values: parsed.values }, parsed.errors);
    const { fields, notice } = await placeVenue(config, parsed.fields);
    await createVenue(db, organisation.id, territory.id, fields);
    setFlash(request, withNotice(t('events:flash.venueAdded', { name: fields.name }), notice));
    return reply.redirect(`/espace/organisations/${organisation.id}/lieux`, 303);
  });

  app.get('/espace/organisations/:orgId/lieux/:venueId/modifier', withMap, async (request, reply) => {
    const { organisation, territory } = member.of(request);
    const venue = await venueOfOrganisation(db, organisation.id, idParam(request, 'venueId'));
    return venueFormPage(reply, { lookup, map, organisation, communes: territory.communes, venueId: venue.id, values: venueToFormValues(venue), stored: true });
  });

  app.post('/espace/organisations/:orgId/lieux/:venueId/modifier', withMap, async (request, reply) => {
    const { organisation, territory } = member.of(request);
    const venue = await venueOfOrganisation(db, organisation.id, idParam(request, 'venueId'));
    const parsed = parseVenueForm(request.body as Body, territory.communes);
    if (parsed.errors.length > 0) return venueFormPage(reply, { lookup, map, organisation, communes: territory.communes, venueId: venue.id, values: parsed.values }, parsed.errors);
    const { fields, notice } = await placeVenue(config, parsed.fields);
    const { announced } = await updateVenue(db, venue.id, fields, currentUser(request).id, clock.now());
    setFlash(
      request,
      withNotice(
        announced > 0 ? t('events:flash.venueChangedAnnounced', { name: fields.name, n: announced }) : t('events:flash.venueChanged', { name: fields.name }),
        notice,
      ),
    );
    return reply.redirect(`/espace/organisations/${organisation.id}/lieux`, 303);
  });
};

export default venueRoutes;
