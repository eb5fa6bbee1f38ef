// The access journal of a territory (/coordination/:territoryId/journal, and .csv): who viewed,
// exported, printed or answered access needs, when, for which event. For its coordinators and
// administrators; filtered by event, action and dates (a plain GET form), exported as it is filtered.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { FeatureOptions } from '../plugins/feature.ts';
import { signedInWith } from '../accounts/index.ts';
import { territoryForCoordinator } from '../events/index.ts';
import { dayBounds, formatDateTime } from '../lib/time.ts';
import { idParam } from '../plugins/params.ts';
import type { FieldError } from '../plugins/views.ts';
import { accessJournal, AUDIT_ACTION_LABELS, AUDIT_ACTIONS, JOURNAL_LIMIT, journalEvents, type JournalFilter } from '../registrations/index.ts';
import { toCsv } from '../lib/csv.ts';
import { t } from '../i18n/index.ts';

type Query = Record<string, unknown>;
const text = (query: Query, name: string) => (typeof query[name] === 'string' ? (query[name] as string).trim() : '');

/** The filter of the query string, or the errors of its values (kept for the form). */
function parseFilter(query: Query, territory: { id: number; timeZone: string }, eventIds: Set<number>): { filter: JournalFilter; errors: FieldError[] } {
  const filter: JournalFilter = { territoryId: territory.id };
  const errors: FieldError[] = [];
  const eventId = text(query, 'evenement');
  if (eventId) {
    if (/^\d+$/.test(eventId) && eventIds.has(Number(eventId))) filter.eventId = Number(eventId);
    else errors.push({ field: 'evenement', message: t('cockpit:journal.errors.event') });
  }
  const action = text(query, 'action');
  if (action) {
    if ((AUDIT_ACTIONS as string[]).includes(action)) filter.action = action as JournalFilter['action'];
    else errors.push({ field: 'action', message: t('cockpit:journal.errors.action') });
  }
  for (const [name, bound] of [['du', 0], ['au', 1]] as const) {
    const day = text(query, name);
    if (!day) continue;
    const bounds = /^\d{4}-\d{2}-\d{2}$/.test(day) ? dayBounds(day, territory.timeZone) : null;
    if (!bounds) errors.push({ field: name, message: bound === 0 ? t('cockpit:journal.errors.fromDate') : t('cockpit:journal.errors.untilDate') });
    else if (bound === 0) filter.from = bounds[0];
    else filter.until = bounds[1];
  }
  if (filter.from && filter.until && filter.from >= filter.until) errors.push({ field: 'au', message: t('cockpit:journal.errors.order') });
  return { filter, errors };
}

const journalRoutes: FastifyPluginAsync<FeatureOptions> = async (app, { db }) => {
  const coordinator = signedInWith((request, user) => territoryForCoordinator(db, user, idParam(request, 'territoryId')));

  async function load(request: FastifyRequest) {
    const territory = coordinator.of(request);
    const query = request.query as Query;
    const events = await journalEvents(db, territory.id);
    const { filter, errors } = parseFilter(query, territory, new Set(events.map((e) => e.id)));
    const values = { evenement: text(query, 'evenement'), action: text(query, 'action'), du: text(query, 'du'), au: text(query, 'au') };
    return { territory, events, filter, errors, values };
  }

  app.get('/coordination/:territoryId/journal', { preHandler: coordinator.hook }, async (request, reply: FastifyReply) => {
    const { territory, events, filter, errors, values } = await load(request);
    const journal = errors.length ? { lines: [], more: false } : await accessJournal(db, filter);
    const search = new URLSearchParams(Object.entries(values).filter(([, v]) => v !== '')).toString();
    return reply.page(
      'cockpit/journal',
      { territory, events, values, journal, limit: JOURNAL_LIMIT, labels: AUDIT_ACTION_LABELS, csvUrl: `/coordination/${territory.id}/journal.csv${search ? `?${search}` : ''}` },
      { title: t('cockpit:journal.heading', { territory: territory.name }), personal: true, errors, status: errors.length ? 400 : undefined },
    );
  });

  app.get('/coordination/:territoryId/journal.csv', { preHandler: coordinator.hook }, async (request, reply) => {
    const { territory, filter, errors } = await load(request);
    if (errors.length) return reply.code(400).type('text/plain; charset=utf-8').send(errors.map((e) => e.message).join('\n'));
    const { lines } = await accessJournal(db, filter);
    const rows = [
      [t('cockpit:journal.csv.date'), t('cockpit:journal.csv.person'), t('cockpit:journal.csv.email'), t('cockpit:journal.csv.action'), t('cockpit:journal.csv.event')],
      ...lines.map((l) => [formatDateTime(l.at, territory.timeZone), l.userName ?? '', l.userEmail ?? t('cockpit:journal.csv.deletedAccount'), AUDIT_ACTION_LABELS[l.action], l.eventTitle]),
    ];
    return reply
      .header('Cache-Control', 'no-store')
      .header('Content-Disposition', `attachment; filename="${t('cockpit:journal.csv.fileName', { territory: territory.slug })}"`)
      .type('text/csv; charset=utf-8')
      .send(toCsv(rows));
  });
};

export default journalRoutes;
