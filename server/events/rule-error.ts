// The one way the events domain says no: a code for the caller, a message for the person who
// acted (in the language of the moment), and the form field it is about when there is one.
export type EventRuleCode =
  | 'not_found'
  | 'invalid_transition'
  | 'not_editable'
  | 'message_required'
  | 'outside_edition'
  | 'proposals_closed'
  | 'no_open_edition'
  | 'no_edition_for_date'
  | 'venue_not_allowed'
  | 'invalid_fields'
  | 'changed_since_seen';

/** A rule of the domain said no; the message is in the language of the moment, meant for the person who acted. */
export class EventRuleError extends Error {
  constructor(
    readonly code: EventRuleCode,
    message: string,
    /** The form field the problem is about, when there is one. */
    readonly field?: string,
  ) {
    super(message);
  }
}
