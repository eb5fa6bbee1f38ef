// The programme on a map: the same filters and the same events as the list (its parser, its
// query), every matching event on one page. The page is a list first — it is all there is without
// JavaScript or when the tiles cannot load — and static/js/map.js draws the map over it from the
// JSON island of markers. Cached and shared like the list: nothing personal.
import { editionDates, programmeFilters, type PublicPagesDeps, type Render, type RenderedPage } from './pages.ts';
import { ALL_ON_ONE_PAGE_MAX, MAP_PATH, activeFilters, filtersQueryString, programmeHref, type RawQuery } from './filters.ts';
import { jsonForScript } from './jsonld.ts';
import { countEvents, groupByDay } from './present.ts';
import { searchProgramme } from './search.ts';
import { currentLanguage, formatNumber, localPath, t } from '../i18n/index.ts';

export async function mapPage(deps: PublicPagesDeps, request: { query: RawQuery | undefined; now: Date; render: Render }): Promise<RenderedPage> {
  const { now } = request;
  const { edition, ...parsed } = await programmeFilters(deps, request.query, now);
  // One page holds every event: the page number and « tout » mean nothing here.
  const filters = { ...parsed.filters, page: 1, all: false };
  const notices = parsed.notices.filter((n) => !parsed.pagingNotices.includes(n));
  const key = ['carte', edition?.id ?? 0, filtersQueryString(filters), ...notices].join('|');
  return deps.cache.get(key, now.getTime(), async () => {
    const result = edition ? await searchProgramme(deps.db, edition.id, filters, { window: { limit: ALL_ON_ONE_PAGE_MAX, offset: 0 } }) : { rows: [], total: 0 };
    if (result.total > result.rows.length) {
      notices.push(t('programme:notices.mapTooMany', { n: formatNumber(result.rows.length) }));
    }
    const groups = groupByDay(result.rows, filters.day);
    const markers = groups.flatMap((group) =>
      // In JSON, links are not given the page's language on the way out: the marker's is written here.
      group.items.flatMap((e) =>
        e.point
          ? [
              {
                title: e.title,
                ...(e.titleLanguage !== currentLanguage().code ? { lang: e.titleLanguage } : {}),
                href: localPath(e.href),
                when: t('programme:map.markerWhen', { day: group.heading, time: e.time }),
                place: e.place,
                ...e.point,
              },
            ]
          : [],
      ),
    );
    const html = await request.render('programme/map', {
      edition,
      editionDates: edition ? editionDates(edition) : null,
      countText: countEvents(result.total),
      unplaced: result.rows.length - markers.length,
      groups,
      notices,
      active: activeFilters(filters, MAP_PATH),
      listHref: programmeHref(filters),
      clearHref: MAP_PATH,
      mapData: jsonForScript({
        tileUrl: deps.config.mapTileUrl,
        attribution: deps.config.mapAttribution ?? t('common:map.attribution'),
        markers,
        words: { zoomIn: t('programme:map.zoomIn'), zoomOut: t('programme:map.zoomOut'), closePopup: t('programme:map.closePopup') },
      }),
      attribution: deps.config.mapAttribution ?? t('common:map.attribution'),
    });
    const title = edition ? t('programme:titles.mapYear', { year: edition.year }) : t('programme:titles.map');
    return { value: { html, title, statusMessage: '', shared: {} } };
  });
}
