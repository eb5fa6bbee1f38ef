// The embedded programme on other sites (a commune's, an association's): the snippet a
// coordinator or a partner copies for a set of filters. No HTTP here.
import type { Config } from '../config.ts';
import { escapeHtml } from '../plugins/views.ts';
import { localPath, t } from '../i18n/index.ts';
import type { EditionSummary } from './current-edition.ts';
import { programmeHref, type ProgrammeFilters } from './filters.ts';

/** The embedded programme (in an iframe on another site): the only pages that may be framed. */
export const EMBED_PATH = '/integrer/programme';
/** « Intégrer le programme »: where one picks the filters and copies the embed's snippet. */
export const INTEGRATE_PATH = '/integrer';
/** The script a host page may add so that the frame takes the height of its content. */
export const EMBED_RESIZER_PATH = '/integrer/hauteur.js';
/** Without the resizer the frame keeps this height and scrolls. */
export const EMBED_DEFAULT_HEIGHT = '800px';

export interface EmbedSnippet {
  /** The embedded programme with these filters (first page). */
  url: string;
  /** The frame's accessible name. */
  title: string;
  /** The HTML to paste into the host page. */
  html: string;
}

export function embedSnippet(config: Pick<Config, 'publicUrl'>, edition: Pick<EditionSummary, 'year'> | null, filters: ProgrammeFilters): EmbedSnippet {
  const url = `${config.publicUrl}${localPath(programmeHref({ ...filters, page: 1, all: false }, EMBED_PATH))}`;
  const title = `${edition ? t('programme:embed.frameTitleYear', { year: edition.year }) : t('programme:embed.frameTitle')}${filters.territory ? t('programme:titles.territory', { name: filters.territory.name }) : ''}`;
  const html = [
    `<iframe src="${escapeHtml(url)}" title="${escapeHtml(title)}" style="width: 100%; height: ${EMBED_DEFAULT_HEIGHT}; border: 0;" loading="lazy"></iframe>`,
    `<script src="${escapeHtml(config.publicUrl + EMBED_RESIZER_PATH)}" async></script>`,
  ].join('\n');
  return { url, title, html };
}
