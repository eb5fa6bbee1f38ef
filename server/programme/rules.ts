// How many places an event has left, as the public sees it: shared by the programme list, the
// event page and the feeds. Which events are public at all: PUBLIC_STATES (domain/vocabulary.ts).

/**
 * Seats a newcomer can get now, by the registration rules (registrations/capacity.ts
 * seatsSummary): capacity minus confirmed seats — no one waiting fits in them, the waitlist having
 * had them first; null for free entry.
 */
export function placesLeft(e: { capacity: number | null; taken: number }): number | null {
  if (e.capacity === null) return null;
  return Math.max(0, e.capacity - e.taken);
}
