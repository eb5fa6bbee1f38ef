// The words of a VEVENT: its SUMMARY and its plain-text DESCRIPTION.
import { ACCESS_FEATURE_INFO, VENUE_FACT_LABELS, type AccessFeature } from '../domain/vocabulary.ts';
import type { CalendarEvent } from './calendar-event.ts';

/** « LSF, Accès fauteuil » */
export function accessibilityLabels(features: readonly AccessFeature[]): string[] {
  return features.map((f) => ACCESS_FEATURE_INFO[f]?.label ?? f);
}

export function calendarSummary(data: Pick<CalendarEvent, 'title' | 'state'>): string {
  return data.state === 'cancelled' ? `ANNULÉ – ${data.title}` : data.title;
}

/** Plain-text DESCRIPTION: what, access, where, and the link back. */
export function calendarDescription(data: CalendarEvent): string {
  const parts: string[] = [];
  if (data.state === 'cancelled') {
    parts.push(`Cet événement est annulé.${data.cancellationReason ? ` Motif : ${data.cancellationReason}` : ''}`);
  }
  parts.push(data.summary);
  if (data.description && data.description !== data.summary) parts.push(data.description);
  if (data.contentNote) parts.push(`Avertissement sur le contenu : ${data.contentNote}`);
  parts.push(
    data.accessibilityOffered.length > 0
      ? `Accessibilité proposée : ${accessibilityLabels(data.accessibilityOffered).join(', ')}.`
      : 'Accessibilité : aucun aménagement annoncé. Vous pouvez en demander un en vous inscrivant.',
  );
  if (data.venue?.facts && data.venue.facts.length > 0) parts.push(`Le lieu : ${data.venue.facts.map((f) => VENUE_FACT_LABELS[f]).join(', ')}.`);
  if (data.venue?.accessDirections) parts.push(`Accès : ${data.venue.accessDirections}`);
  if (data.onlineUrl) parts.push(`En ligne : ${data.onlineUrl}`);
  parts.push(`Organisé par ${data.organiser.name}.`);
  parts.push(`Informations et inscription : ${data.url}`);
  return parts.join('\n\n');
}
