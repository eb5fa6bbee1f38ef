// The proposal form, shared by the new-event routes (proposal-routes.ts) and the edit routes
// (organiser-routes.ts): the page itself, the venues one may choose, and what follows a save.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Database } from '../db/client.ts';
import type { EditionDays } from '../domain/editions.ts';
import { EVENT_STATE_LABELS } from '../domain/vocabulary.ts';
import { t } from '../i18n/index.ts';
import type { Clock } from '../lib/clock.ts';
import { currentUser } from '../accounts/index.ts';
import { setFlash } from '../plugins/flash.ts';
import type { FieldError } from '../plugins/views.ts';
import { submit } from './moderation.ts';
import type { EventContext } from './queries.ts';
import { EventRuleError } from './rule-error.ts';
import { organiserActions } from './rules.ts';
import { messageField } from './form-fields.ts';
import { offsetChoices } from './local-time-fields.ts';
import { translationLanguages, type EventFormResult, type EventFormValues } from './schemas.ts';
import { communeField } from './venue-schemas.ts';
import { usableVenues } from './venues.ts';
import { editionView, formOptions } from './view-models.ts';

type Body = Record<string, unknown>;

/** The organisation and territory the form writes for. */
export interface FormContext {
  organisationId: number;
  organisationName: string;
  territoryId: number;
  territoryName: string;
  zone: string;
  communes: string[];
}

export interface FormPage {
  context: FormContext;
  /** The editions the event may go to (see EditionChoice), shown with their days. */
  editions: readonly EditionDays[];
  /** The edition of the dates as saved (an edit), for the notice when they fall outside its days. */
  edition?: EditionDays;
  event?: EventContext['event'];
  values: EventFormValues;
  result?: Pick<EventFormResult, 'choices' | 'outsideEdition' | 'edition'>;
  /** When there is no parse result yet (the edit form as saved). */
  outsideEdition?: boolean;
  errors?: FieldError[];
  /** A new proposal copied from this event (« Dupliquer »). */
  copiedFrom?: { id: number; title: string; year: number };
}

export function formContext(ctx: Pick<EventContext, 'organisation' | 'territory'>): FormContext {
  return {
    organisationId: ctx.organisation.id,
    organisationName: ctx.organisation.name,
    territoryId: ctx.territory.id,
    territoryName: ctx.territory.name,
    zone: ctx.territory.timeZone,
    communes: ctx.territory.communes,
  };
}

export async function formPage(db: Database, reply: FastifyReply, page: FormPage) {
  const { context, event, values } = page;
  const edition = page.result?.edition ?? page.edition;
  const venues = await usableVenues(db, context.organisationId, context.territoryId);
  const choices = page.result?.choices ?? {
    start: offsetChoices(values.date, values.startTime, context.zone),
    end: offsetChoices(values.endDate || values.date, values.endTime, context.zone),
  };
  const venueOptions = [
    { value: '', label: t('events:form.venueChoose') },
    ...venues.map((v) => ({ value: String(v.id), label: v.organisationId === null ? t('events:form.venueOptionShared', { name: v.name, commune: v.commune }) : t('events:form.venueOption', { name: v.name, commune: v.commune }) })),
    { value: 'new', label: t('events:form.venueNew') },
    { value: 'none', label: t('events:form.venueNone') },
  ];
  const title = event
    ? t('events:form.titleEdit', { title: event.title })
    : page.copiedFrom
      ? t('events:form.titleCopy', { title: page.copiedFrom.title })
      : t('events:form.headingNew');
  return reply.page(
    'events/form',
    {
      ...context,
      editions: page.editions.map(editionView),
      edition: edition ? editionView(edition) : null,
      event: event ? { id: event.id, state: event.state, stateLabel: EVENT_STATE_LABELS[event.state], title: event.title } : null,
      action: event ? `/espace/evenements/${event.id}/modifier` : `/espace/organisations/${context.organisationId}/evenements/nouveau`,
      canSubmit: !event || organiserActions(event.state).submit,
      values,
      choices,
      outsideEdition: page.result?.outsideEdition ?? page.outsideEdition ?? false,
      copiedFrom: page.copiedFrom ?? null,
      options: { ...formOptions(), venue: venueOptions, commune: communeField(context.communes, values.venueCommune) },
      // « Dans d'autres langues »: a title and a summary for each language of the site but French.
      otherLanguages: translationLanguages(),
    },
    { title, errors: page.errors, personal: true },
  );
}

/** The ids of the venues the form may name (the event's own current one included). */
export async function venueIds(db: Database, organisationId: number, territoryId: number, current: number | null = null) {
  const ids = (await usableVenues(db, organisationId, territoryId)).map((v) => v.id);
  return current === null ? ids : [...ids, current];
}

/** After saving: « Proposer » also submits; a refusal to submit still keeps what was saved. */
export async function afterSave(db: Database, clock: Clock, request: FastifyRequest, eventId: number, body: Body, outsideEdition: boolean, saved: string) {
  const now = clock.now();
  const notice = outsideEdition ? ` ${t('events:flash.outsideEdition')}` : '';
  if (messageField(body, 'action') === 'submit') {
    try {
      await submit(db, eventId, { actorUserId: currentUser(request).id, now });
      setFlash(request, `${t('events:flash.submitted')}${notice}`);
    } catch (error) {
      if (!(error instanceof EventRuleError)) throw error;
      setFlash(request, t('events:flash.submitFailed', { saved, reason: error.message }));
    }
  } else setFlash(request, `${saved}${notice}`);
}
