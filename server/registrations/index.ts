export { promoteFromWaitlist } from './capacity.ts';
export { registrationIdForToken } from './links.ts';
export { scheduleDueMails } from './mails-schedule.ts';
export { teamMailKinds } from './mails-team.ts';
export { registrantMailKinds } from './mails.ts';
export { notifyRegistrants } from './notify.ts';
export { startPurgeSchedule } from './purge.ts';
export { registrationWindow } from './registration-event.ts';
export { default as registrationRoutes } from './routes.ts';
