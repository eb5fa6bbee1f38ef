// The events domain's refusals (EventRuleError) as HTTP: in a form when they name a field, as a
// page with the reason otherwise.
import { HttpError } from '../plugins/errors.ts';
import type { FieldError } from '../plugins/views.ts';
import { EventRuleError } from './rule-error.ts';

function asHttpError(error: EventRuleError): HttpError {
  return new HttpError(error.code === 'not_found' ? 404 : 409, error.message);
}

/** A rule of the domain that concerns one field becomes a form error; any other is a 409 page. */
export function asFieldError(error: unknown, fieldFor: (field: string) => string = (f) => f): FieldError {
  if (error instanceof EventRuleError && error.field) return { field: fieldFor(error.field), message: error.message };
  if (error instanceof EventRuleError) throw asHttpError(error);
  throw error;
}

/** A domain refusal with no form to show it in (e.g. « Proposer » twice): a 409 page with the reason. */
export async function orConflict<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof EventRuleError) throw asHttpError(error);
    throw error;
  }
}
