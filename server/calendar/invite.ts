// Calendar invites sent by mail (iTIP, RFC 5546 / RFC 6047), built with the shared iCalendar
// builder of ical.ts so an invite and a feed describe an event the same way.
// One UID per registration (not per event): a person's calendar entry follows their own
// registration, and cancelling it removes only theirs.
import { ICalAttendeeRole, ICalAttendeeStatus } from 'ical-generator';
import type { Config } from '../config.ts';
import { organizerOf, registrationUid, type CalendarEvent } from './calendar-event.ts';
import { addEventToCalendar, createCalendar, serializeCalendar } from './ical.ts';

export type InviteMethod = 'REQUEST' | 'CANCEL';

export interface Invite {
  method: InviteMethod;
  content: string;
}

/**
 * REQUEST carries the event's sequence plus the registration's own (bumped when the person changes
 * their seats); CANCEL one more, so it always outranks the last REQUEST the person received
 * (whether the cancellation came from them or from the organiser).
 */
export function buildInvite(
  config: Pick<Config, 'publicUrl' | 'mailFrom'>,
  data: CalendarEvent,
  attendee: { registrationId: number; inviteSequence: number; email: string; name: string | null },
  method: InviteMethod,
  now: Date,
): Invite {
  const calendar = createCalendar({ method });
  addEventToCalendar(calendar, data, {
    uid: registrationUid(attendee.registrationId, config.publicUrl),
    sequence: data.sequence + attendee.inviteSequence + (method === 'CANCEL' ? 1 : 0),
    status: method === 'CANCEL' ? 'CANCELLED' : 'CONFIRMED',
    organizer: organizerOf(data, config.mailFrom),
    // Registered already: nothing to answer (RSVP=FALSE), no reply sent to the organiser.
    attendee: { email: attendee.email, name: attendee.name, rsvp: false, role: ICalAttendeeRole.REQ, status: method === 'REQUEST' ? ICalAttendeeStatus.ACCEPTED : null },
    stamp: now,
  });
  return { method, content: serializeCalendar(calendar) };
}
