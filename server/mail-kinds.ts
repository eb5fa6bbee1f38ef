// The one place that gathers every feature's kinds of mail and their schedulers into the registry
// handed to the mail worker (in the app and `npm run worker`), the admin pages and the tests.
import { accountMailKinds } from './accounts/mails.ts';
import { eventMailKinds } from './events/mails.ts';
import { mailRegistry } from './mail/kinds.ts';
import { mailRenderer } from './mail/render.ts';
import { registrantMailKinds } from './registrations/mails.ts';
import { scheduleDueMails } from './registrations/mails-schedule.ts';
import { teamMailKinds } from './registrations/mails-team.ts';

export const mailKinds = mailRegistry([accountMailKinds, eventMailKinds, registrantMailKinds, teamMailKinds], [scheduleDueMails]);

/** One outbox row rendered with these kinds, without a worker (tests look at a mail this way). */
export const renderMail = mailRenderer(mailKinds);
