// The figures and the bilan of an edition over HTTP, for a territory's coordination
// (/coordination/:territoryId/chiffres, …/bilan, …/bilan.pdf, …/bilan/<table>.csv) and, for every
// territory, for the administrators (/admin/chiffres, /admin/bilan, /admin/bilan.pdf,
// /admin/bilan/<table>.csv). Each page is for
// its people only: another territory's coordinator and organisers get 403, a signed-out person
// is sent to sign in (the hooks). Nothing here is per person, so nothing is written to the audit
// log: the CSV and PDF files hold counts, and small need counts are hidden (suppression.ts).
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Database } from '../db/client.ts';
import type { Clock } from '../lib/clock.ts';
import type { FeatureOptions } from '../plugins/feature.ts';
import { requireAdmin, signedInWith } from '../accounts/index.ts';
import { chosenEdition, editions, territoryForCoordinator } from '../events/index.ts';
import { dayKey, formatCalendarDay, formatDay } from '../lib/time.ts';
import { notFound } from '../plugins/errors.ts';
import { idParam } from '../plugins/params.ts';
import { cellText } from './cells.ts';
import { tableCsv } from './csv.ts';
import { editionReport } from './figures.ts';
import { bilanPdf } from './pdf.ts';
import { allTerritories, type ReportTerritory } from './queries.ts';
import { bilanSections, bilanTables, figuresSections, withCharts } from './sections.ts';
import { t } from '../i18n/index.ts';

/** Whose figures: one territory, or all of them. */
interface Place {
  /** The pages' common path: /coordination/12 or /admin. */
  base: string;
  /** In headings: « CLSM de Cayenne » or « tous les territoires » (read when the page is made: a getter). */
  readonly name: string;
  /** In file names. */
  slug: string;
  readonly back: { href: string; label: string };
  national: boolean;
  /** Whose calendar day decides the running edition (editions are national: any zone of theirs). */
  timeZone: string;
  territories(): Promise<ReportTerritory[]>;
}

/** The edition asked for (?annee=), else the running or next one, as the coordination page opens. */
interface Asked {
  year: number;
  now: Date;
}

function askedOf(request: FastifyRequest, clock: Clock): Asked {
  return { year: Number((request.query as Record<string, unknown>).annee), now: clock.now() };
}

async function load(db: Database, place: Place, asked: Asked) {
  const all = await editions(db);
  const edition = chosenEdition(all, asked.year, dayKey(asked.now, place.timeZone));
  const report = edition ? await editionReport(db, edition, await place.territories(), place.national) : null;
  return { all, edition, report };
}

type Loaded = Awaited<ReturnType<typeof load>>;

function headingOf(kind: 'chiffres' | 'bilan', place: Place, edition: Loaded['edition']) {
  if (kind === 'chiffres') return edition ? t('reports:heading.figuresOfYear', { year: edition.year, place: place.name }) : t('reports:heading.figures', { place: place.name });
  return edition ? t('reports:heading.bilanOfYear', { year: edition.year, place: place.name }) : t('reports:heading.bilan', { place: place.name });
}

/** « Semaines d’information sur la santé mentale 2026 — « theme », du … au … », under the heading. */
function editionLine(edition: NonNullable<Loaded['edition']>) {
  return t('reports:editionLine', { year: edition.year, theme: edition.theme, first: formatCalendarDay(edition.firstDay), last: formatCalendarDay(edition.lastDay) });
}

async function reportPage(db: Database, reply: FastifyReply, place: Place, kind: 'chiffres' | 'bilan', asked: Asked) {
  const { all, edition, report } = await load(db, place, asked);
  const heading = headingOf(kind, place, edition);
  const query = edition ? `?annee=${edition.year}` : '';
  const sections = report ? await withCharts(kind === 'chiffres' ? figuresSections(report) : bilanSections(report)) : [];
  const downloads =
    report && kind === 'bilan' ? bilanTables(report).map((table) => ({ href: `${place.base}/bilan/${table.id}.csv${query}`, label: table.caption })) : [];
  return reply.page(
    'reports/report',
    {
      heading,
      path: `${place.base}/${kind}`,
      back: place.back,
      other:
        kind === 'chiffres'
          ? { href: `${place.base}/bilan${query}`, label: t('reports:page.toBilan') }
          : { href: `${place.base}/chiffres${query}`, label: t('reports:page.toFigures') },
      edition: edition ? { ...edition, line: editionLine(edition) } : null,
      pdf: report && kind === 'bilan' ? `${place.base}/bilan.pdf${query}` : null,
      editions: all,
      sections,
      downloads,
      cellText,
    },
    { title: heading, personal: true },
  );
}

async function bilanCsv(db: Database, reply: FastifyReply, place: Place, file: string, asked: Asked) {
  const { edition, report } = await load(db, place, asked);
  const table = report ? bilanTables(report).find((t) => `${t.id}.csv` === file) : undefined;
  if (!edition || !table) throw notFound(t('reports:errors.noSuchTable'));
  return reply
    .header('Cache-Control', 'no-store')
    .header('Content-Disposition', `attachment; filename="${t('reports:files.tableCsv', { year: edition.year, place: place.slug, table: table.id })}"`)
    .type('text/csv; charset=utf-8')
    .send(tableCsv(table));
}

/** The bilan as a PDF file: the page's sections, drawn by pdf.ts. */
async function bilanPdfFile(db: Database, reply: FastifyReply, place: Place, asked: Asked) {
  const { edition, report } = await load(db, place, asked);
  if (!edition || !report) throw notFound(t('reports:errors.noEdition'));
  const pdf = await bilanPdf({
    title: headingOf('bilan', place, edition),
    lines: [editionLine(edition), t('reports:pdf.producedOn', { day: formatDay(asked.now, place.timeZone) })],
    sections: await withCharts(bilanSections(report)),
    createdAt: asked.now,
  });
  return reply
    .header('Cache-Control', 'no-store')
    .header('Content-Disposition', `attachment; filename="${t('reports:files.pdf', { year: edition.year, place: place.slug })}"`)
    .type('application/pdf')
    .send(pdf);
}

/** A territory's figures and bilan, for its coordination (and administrators). */
const coordinationReports: FastifyPluginAsync<FeatureOptions> = async (app, { db, clock }) => {
  const coordinator = signedInWith((request, user) => territoryForCoordinator(db, user, idParam(request, 'territoryId')));
  app.addHook('preHandler', coordinator.hook);
  const placeOf = (request: FastifyRequest): Place => {
    const territory = coordinator.of(request);
    return {
      base: `/coordination/${territory.id}`,
      name: territory.name,
      slug: territory.slug,
      get back() {
        return { href: `/coordination/${territory.id}`, label: t('reports:page.backToCoordination', { territory: territory.name }) };
      },
      national: false,
      timeZone: territory.timeZone,
      territories: async () => [{ id: territory.id, name: territory.name, communes: territory.communes }],
    };
  };
  app.get('/coordination/:territoryId/chiffres', async (request, reply) => reportPage(db, reply, placeOf(request), 'chiffres', askedOf(request, clock)));
  app.get('/coordination/:territoryId/bilan', async (request, reply) => reportPage(db, reply, placeOf(request), 'bilan', askedOf(request, clock)));
  app.get('/coordination/:territoryId/bilan.pdf', async (request, reply) => bilanPdfFile(db, reply, placeOf(request), askedOf(request, clock)));
  app.get('/coordination/:territoryId/bilan/:file', async (request, reply) =>
    bilanCsv(db, reply, placeOf(request), (request.params as { file: string }).file, askedOf(request, clock)),
  );
};

/** Every territory's figures and their national total, for administrators. */
const nationalReports: FastifyPluginAsync<FeatureOptions> = async (app, { db, clock }) => {
  app.addHook('preHandler', requireAdmin);
  const national: Place = {
    base: '/admin',
    get name() {
      return t('reports:page.allTerritories');
    },
    slug: 'national',
    get back() {
      return { href: '/admin', label: t('reports:page.administration') };
    },
    national: true,
    timeZone: 'Europe/Paris',
    territories: () => allTerritories(db),
  };
  app.get('/admin/chiffres', async (request, reply) => reportPage(db, reply, national, 'chiffres', askedOf(request, clock)));
  app.get('/admin/bilan', async (request, reply) => reportPage(db, reply, national, 'bilan', askedOf(request, clock)));
  app.get('/admin/bilan.pdf', async (request, reply) => bilanPdfFile(db, reply, national, askedOf(request, clock)));
  app.get('/admin/bilan/:file', async (request, reply) => bilanCsv(db, reply, national, (request.params as { file: string }).file, askedOf(request, clock)));
};

const reportsRoutes: FastifyPluginAsync<FeatureOptions> = async (app, options) => {
  await app.register(coordinationReports, options);
  await app.register(nationalReports, options);
};

export default reportsRoutes;
