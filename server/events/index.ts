export { territoryForCoordinator } from './access.ts';
export { organisationRecipients } from './history.ts';
export { emailEvent, eventMailKinds, eventsOfBatch } from './mails.ts';
export { changeLines, type ChangeLine } from './present.ts';
export { editsOfPublishedEvents } from './overview.ts';
export { proposalQueue } from './queries.ts';
export { default as eventsRoutes } from './routes.ts';
export { type EventFields } from './rules.ts';
export { venueColumns } from './venues.ts';
