// The one place that gathers every feature's kinds of mail and their schedulers into the registry
// handed to the mail worker (in the app and `npm run worker`), the admin pages and the tests.
import { accountMailKinds } from './accounts/index.ts';
import { eventMailKinds } from './events/index.ts';
import { mailRegistry, mailRenderer } from './mail/index.ts';
import { changeMailKinds, listFailedSms, messageMailKinds, registrantMailKinds, scheduleDueMails, teamMailKinds } from './registrations/index.ts';

// A text that fails for good puts its registrant on the organiser's call list.
export const mailKinds = mailRegistry([accountMailKinds, eventMailKinds, registrantMailKinds, changeMailKinds, messageMailKinds, teamMailKinds], [scheduleDueMails], listFailedSms);

/** One outbox row rendered with these kinds, without a worker (tests look at a mail this way). */
export const renderMail = mailRenderer(mailKinds);
