export { territoryForCoordinator } from './access.ts';
export { organisationRecipients } from './history.ts';
export { emailEvent, eventMailKinds, eventsOfBatch } from './mails.ts';
export { editions } from './overview.ts';
export { changeLines, type ChangeLine } from './present.ts';
export { default as eventsRoutes } from './routes.ts';
export { chosenEdition, type EventFields } from './rules.ts';
export { venueColumns } from './venues.ts';
