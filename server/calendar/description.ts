// The words of a VEVENT: its SUMMARY and its plain-text DESCRIPTION, in the current language
// (the organiser's own title and summary in it when they wrote them).
import { eventText } from '../domain/event-text.ts';
import { ACCESS_FEATURE_INFO, VENUE_FACT_LABELS, type AccessFeature } from '../domain/vocabulary.ts';
import { t } from '../i18n/index.ts';
import { eventPageUrl, type CalendarEvent } from './calendar-event.ts';

/** « LSF, Accès fauteuil » */
export function accessibilityLabels(features: readonly AccessFeature[]): string[] {
  return features.map((f) => ACCESS_FEATURE_INFO[f]?.label ?? f);
}

/** The title, marked when the event is cancelled or the person only on the waiting list. */
export function calendarSummary(data: Pick<CalendarEvent, 'title' | 'summary' | 'translations' | 'state'>, options: { waitlisted?: boolean } = {}): string {
  const { title } = eventText(data);
  if (data.state === 'cancelled') return t('calendar:summary.cancelled', { title });
  return options.waitlisted ? t('calendar:summary.waitlisted', { title }) : title;
}

/** Plain-text DESCRIPTION: what, access, where, and the link back. */
export function calendarDescription(data: CalendarEvent): string {
  const parts: string[] = [];
  if (data.state === 'cancelled') {
    parts.push(data.cancellationReason ? t('calendar:description.cancelledBecause', { reason: data.cancellationReason }) : t('calendar:description.cancelled'));
  }
  parts.push(eventText(data).summary);
  if (data.description && data.description !== data.summary) parts.push(data.description);
  if (data.contentNote) parts.push(t('calendar:description.contentNote', { note: data.contentNote }));
  parts.push(
    data.accessibilityOffered.length > 0
      ? t('calendar:description.accessibility', { list: accessibilityLabels(data.accessibilityOffered).join(', ') })
      : t('calendar:description.noAccessibility'),
  );
  if (data.venue?.facts && data.venue.facts.length > 0) parts.push(t('calendar:description.venueFacts', { list: data.venue.facts.map((f) => VENUE_FACT_LABELS[f]).join(', ') }));
  if (data.venue?.accessDirections) parts.push(t('calendar:description.accessDirections', { text: data.venue.accessDirections }));
  if (data.onlineUrl) parts.push(t('calendar:description.online', { url: data.onlineUrl }));
  parts.push(t('calendar:description.organisedBy', { name: data.organiser.name }));
  parts.push(t('calendar:description.moreInformation', { url: eventPageUrl(data) }));
  return parts.join('\n\n');
}
