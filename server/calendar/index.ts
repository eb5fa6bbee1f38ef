export { type CalendarEvent } from './calendar-event.ts';
export { buildInvite, type Invite } from './invite.ts';
export { eventIcsFileName, eventIcsPath, organisationFeedUrls, personalFeedUrls, programmeFeedUrls, territoryFeedUrls } from './links.ts';
export { loadCalendarEvents } from './load-events.ts';
export { default as calendarRoutes } from './routes.ts';
export { registrationCalendar } from './service.ts';
