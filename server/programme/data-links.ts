// Addresses of the programme's open data (served by server/open-data), shared by the programme
// page that advertises them and the routes. Kept here, beside the programme's own address, so that
// the programme page needs nothing from the open-data feature (which builds on the programme).
// They follow the calendar feeds' style: the programme's path with an extension (its filters in
// the query string), and the same file under an organisation or a territory.
import type { Config } from '../config.ts';
import { t, localPath } from '../i18n/index.ts';

export const OPEN_DATA_FORMATS = ['json', 'csv', 'rss'] as const;
export type OpenDataFormat = (typeof OPEN_DATA_FORMATS)[number];

export const OPEN_DATA_MEDIA_TYPES: Record<OpenDataFormat, string> = {
  json: 'application/json',
  csv: 'text/csv',
  rss: 'application/rss+xml',
};

/** « JSON (compatible OpenAgenda) », in the language of the moment. */
export function openDataFormatLabel(format: OpenDataFormat): string {
  return t(`programme:openDataFormats.${format}`);
}

/** The page for re-users, and the JSON Schema it links to. */
export const OPEN_DATA_PAGE_PATH = '/donnees-ouvertes';
export const OPEN_DATA_SCHEMA_PATH = '/donnees-ouvertes/schema.json';

export const LICENCE = {
  name: 'Licence Ouverte / Open Licence version 2.0 (Etalab)',
  url: 'https://www.etalab.gouv.fr/licence-ouverte-open-licence/',
} as const;

function withQuery(path: string, queryString: string): string {
  const query = queryString.replace(/^\?/, '');
  return query ? `${path}?${query}` : path;
}

/** The programme with exactly the filters of the programme page (its query string, without paging). */
export function programmeDataPath(format: OpenDataFormat, queryString = ''): string {
  return withQuery(`/programme.${format}`, queryString);
}

export function organisationDataPath(organisationId: number, format: OpenDataFormat, queryString = ''): string {
  return withQuery(`/organisations/${organisationId}/programme.${format}`, queryString);
}

export function territoryDataPath(territorySlug: string, format: OpenDataFormat, queryString = ''): string {
  return withQuery(`/territoires/${encodeURIComponent(territorySlug)}/programme.${format}`, queryString);
}

export interface OpenDataLink {
  format: OpenDataFormat;
  type: string;
  label: string;
  href: string;
}

/** One link per format for these filters: the programme page's `<link rel="alternate">` and its « Données ouvertes » block. */
export function programmeDataLinks(config: Pick<Config, 'publicUrl'>, queryString: string): OpenDataLink[] {
  return OPEN_DATA_FORMATS.map((format) => ({
    format,
    type: OPEN_DATA_MEDIA_TYPES[format],
    label: openDataFormatLabel(format),
    href: `${config.publicUrl}${localPath(programmeDataPath(format, queryString))}`,
  }));
}
