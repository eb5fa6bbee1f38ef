// The organisation form, shared by creation (home-routes.ts) and edition (organisation-routes.ts).
import type { FastifyReply } from 'fastify';
import type { Database } from '../db/client.ts';
import { ORGANISATION_KINDS, ORGANISATION_KIND_LABELS } from '../domain/vocabulary.ts';
import type { FieldError } from '../plugins/views.ts';
import { t } from '../i18n/index.ts';
import { territoryChoices } from './organisations.ts';

/** The kinds to choose from, labelled in the language of the request. */
const kindOptions = () => ORGANISATION_KINDS.map((kind) => ({ value: kind, label: ORGANISATION_KIND_LABELS[kind] }));

/** The form page; creation also offers the territories to choose from. */
export async function organisationFormPage(
  db: Database,
  reply: FastifyReply,
  data: { mode: 'create' | 'edit'; values: Record<string, string>; organisationId?: number; territoryName?: string },
  errors: FieldError[] = [],
) {
  const territories = data.mode === 'create' ? await territoryChoices(db) : [];
  const title =
    data.mode === 'create'
      ? t('accounts:organisationForm.createTitle')
      : data.values.name
        ? t('accounts:organisationForm.editTitle', { name: data.values.name })
        : t('accounts:organisationForm.editHeading');
  return reply.page(
    'accounts/organisation-form',
    {
      ...data,
      kindOptions: [{ value: '', label: t('accounts:organisationForm.chooseKind') }, ...kindOptions()],
      territoryOptions: [{ value: '', label: t('accounts:organisationForm.chooseTerritory') }, ...territories.map((t) => ({ value: String(t.id), label: t.name }))],
      noTerritory: data.mode === 'create' && territories.length === 0,
    },
    { title, errors, personal: true },
  );
}
