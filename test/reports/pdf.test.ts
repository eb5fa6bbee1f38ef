// @databases: pglite
// The bilan as a PDF file, read back as a reader does (pdf-text.ts): the page's sections in order,
// the same numbers and hidden small counts as the page and the CSV files, page numbers, title,
// language and tags; and who may download it.
import t from 'tap';
import { buildTestApp } from '../helpers/app.ts';
import { reportsApp } from './fixtures.ts';
import { charts, tableRows } from './html.ts';
import { readPdf } from '../helpers/pdf-text.ts';

const setup = reportsApp;

/** The tables of the bilan page, in its order. */
const tableIds = (html: string) => [...html.matchAll(/<table class="report-table" id="tableau-([^"]+)"/g)].map((m) => m[1]!);

/**
 * Where each row of a page table is in the PDF's lines, in order from `start`: a line with the
 * first line of the row's name (a long name wraps onto the next lines) and its values. -1 when missing.
 */
function rowLines(lines: string[], rows: string[][], start = 0): number[] {
  let from = start;
  return rows.map(([name, ...cells]) => {
    const values = cells.filter((cell) => cell !== ''); // an empty cell draws no text
    const at = lines.findIndex((line, i) => {
      if (i < from) return false;
      const [first, ...rest] = line.split(' | ');
      return rest.join(' | ') === values.join(' | ') && name!.startsWith(first!);
    });
    if (at >= 0) from = at + 1;
    return at;
  });
}

t.test('the bilan of a territory as a PDF: the page’s sections, tables and hidden counts, page numbers, tags', async (t) => {
  const { f, as } = await setup(t);
  const coordinator = await as('coordination@cayenne.example');
  const page = await coordinator.get(`/coordination/${f.cayenne.id}/bilan?annee=2026`);
  t.match(page.body, `<a href="/coordination/${f.cayenne.id}/bilan.pdf?annee=2026" download>Télécharger le bilan (PDF)</a>`, 'linked next to the CSV files');

  const started = performance.now();
  const res = await coordinator.get(`/coordination/${f.cayenne.id}/bilan.pdf?annee=2026`);
  t.comment(`PDF in ${Math.round(performance.now() - started)} ms`);
  t.equal(res.statusCode, 200);
  t.equal(res.headers['content-type'], 'application/pdf');
  t.equal(res.headers['content-disposition'], 'attachment; filename="bilan-sism-2026-cayenne.pdf"');
  t.equal(res.headers['cache-control'], 'no-store');
  t.ok(res.rawPayload.subarray(0, 5).toString() === '%PDF-', 'a PDF file');

  const pdf = await readPdf(res.rawPayload);
  t.equal(pdf.title, 'Bilan des SISM 2026 : CLSM de Cayenne');
  t.equal(pdf.language, 'fr-FR');
  t.ok(pdf.marked, 'a tagged PDF');
  const lines = pdf.pages.flat();
  t.equal(lines[0], 'Bilan des SISM 2026 : CLSM de Cayenne');
  t.match(lines.slice(1, 4).join(' '), 'Semaines d’information sur la santé mentale 2026 — « Pour notre santé mentale, réparons le lien social », du lundi 5 octobre 2026 au dimanche 18 octobre 2026.');
  t.ok(lines.includes('Document produit le mardi 15 septembre 2026.'), 'the day it was made, in French');

  t.equal(pdf.pages.length, 5, 'five A4 pages for this edition');
  pdf.pages.forEach((lines, i) => t.equal(lines.at(-1), `Bilan des SISM 2026 : CLSM de Cayenne | page ${i + 1} sur 5`, `footer of page ${i + 1}`));
  t.same(pdf.pages[1]!.slice(0, 2), ['Commune | Événements', 'Total | 5'], 'a table cut by the page goes on under its header, repeated');

  const headings = ['Chiffres clés', 'Géographie des événements', 'Types d’événements', 'Partenaires', 'Public touché', 'Accessibilité demandée et apportée'];
  const at = headings.map((h) => lines.indexOf(h));
  t.notOk(at.includes(-1), 'every section heading');
  t.same(at, [...at].sort((a, b) => a - b), 'in the page’s order');
  t.equal(pdf.roles.filter((r) => r === 'H2').length, headings.length, 'each heading tagged H2');
  t.equal(pdf.roles.filter((r) => r === 'H1').length, 1);

  // Every table of the page, row by row, with the page's very texts (hidden counts included).
  const ids = tableIds(page.body);
  t.equal(ids.length, 9);
  // pdf.js gives one structure tree per page, with the ancestors of what the page holds: a table
  // cut by a page appears on both, its caption on one.
  t.equal(pdf.roles.filter((r) => r === 'Caption').length, ids.length, 'each table tagged Table, with its caption');
  t.ok(pdf.roles.filter((r) => r === 'Table').length >= ids.length);
  let previous = -1;
  for (const id of ids) {
    const [, ...rows] = tableRows(page.body, id);
    const found = rowLines(lines, rows, previous + 1);
    t.notOk(found.includes(-1), `every row of ${id}, after the previous table: ${JSON.stringify(rows[found.indexOf(-1)])}`);
    previous = found.at(-1)!;
  }
  t.ok(lines.includes('Commune | Événements'), 'a header row');
  t.ok(lines.includes('Interprétation LSF | < 5 | < 5 | < 5 | 0 | masqué | 0 | < 5 | masqué'), 'small counts hidden as in the CSV file');
  t.ok(lines.includes('Tous les besoins | 6 | < 5 | < 5 | < 5 | masqué | < 5 | < 5 | masqué'));
  t.ok(lines.includes('Besoins satisfaits (aménagement prévu) | < 5'), 'the key figures too');
  t.notOk(lines.some((l) => l.startsWith('Interprétation LSF | 3')), 'never the exact count');
  t.match(lines.join(' '), 'les nombres de besoins de 1 à 4 sont remplacés par « < 5 » dans ce bilan', 'the rule is written');
  t.match(lines.join(' '), 'Places réservées (personnes et accompagnant·es) | 12', 'inclusive writing');

  t.same(pdf.figureAlts, charts(page.body).map((c) => c.description), 'each chart a Figure, its description as alternative text');
  t.equal(pdf.figureAlts.length, 2);
  const chartTitle = lines.indexOf('Événements publiés par jour (données dans le tableau qui suit)');
  t.ok(chartTitle >= 0 && lines.indexOf('Événements publiés par jour') > chartTitle, 'the chart with its title, before its table');
});

t.test('the national bilan as a PDF, and another edition', async (t) => {
  const { f, as } = await setup(t);
  const admin = await as('admin@rassembler.example');
  const res = await admin.get('/admin/bilan.pdf');
  t.equal(res.statusCode, 200);
  t.equal(res.headers['content-disposition'], 'attachment; filename="bilan-sism-2026-national.pdf"');
  const pdf = await readPdf(res.rawPayload);
  t.equal(pdf.title, 'Bilan des SISM 2026 : tous les territoires');
  const lines = pdf.pages.flat();
  t.ok(lines.indexOf('Par territoire') > lines.indexOf('Accessibilité demandée et apportée'), 'the territories last, as on the page');
  const page = await admin.get('/admin/bilan');
  t.match(page.body, 'href="/admin/bilan.pdf?annee=2026"');
  const [, ...rows] = tableRows(page.body, 'territoires');
  t.notOk(rowLines(lines, rows).includes(-1), 'the territories, as on the page');
  t.ok(rowLines(lines, [['CLSM de Cayenne', '5', '2', '2', '5', '12', 'masqué', '< 5', 'masqué']])[0]! >= 0, 'Grenoble’s single need not found by subtraction');

  const earlier = await admin.get(`/coordination/${f.cayenne.id}/bilan.pdf?annee=2025`);
  t.equal(earlier.headers['content-disposition'], 'attachment; filename="bilan-sism-2025-cayenne.pdf"');
  const old = await readPdf(earlier.rawPayload);
  t.equal(old.title, 'Bilan des SISM 2025 : CLSM de Cayenne');
  t.ok(old.pages.flat().includes('Cayenne | 1'), '2025’s own figures');
});

t.test('the PDF only for the territory’s coordination and administrators: 403 for others, sign-in first', async (t) => {
  const { f, app, as } = await setup(t);
  const url = `/coordination/${f.cayenne.id}/bilan.pdf`;
  const grenoble = await as('coordination@grenoble.example');
  const organiser = await as('organisation@lien.example');
  const cayenne = await as('coordination@cayenne.example');
  for (const [who, agent] of [['another territory’s coordinator', grenoble], ['an organiser of the territory', organiser]] as const) {
    const res = await agent.get(url);
    t.equal(res.statusCode, 403, who);
    t.notMatch(res.headers['content-type'], 'application/pdf', `${who}: no PDF`);
  }
  const anonymous = await app.inject({ url });
  t.equal(anonymous.statusCode, 303, 'signed out');
  t.equal(anonymous.headers.location, `/connexion?retour=${encodeURIComponent(url)}`);
  for (const [who, agent] of [['a coordinator', cayenne], ['an organiser', organiser]] as const) t.equal((await agent.get('/admin/bilan.pdf')).statusCode, 403, `national, ${who}`);
  t.equal((await app.inject({ url: '/admin/bilan.pdf' })).statusCode, 303, 'national, signed out');
});
