// The mail (or text) that carries an organiser's message to a registrant (messages.ts), rendered
// at send time from the message kept once, with the event and the person's manage link.
import { eq } from 'drizzle-orm';
import { eventMessage } from '../db/schema.ts';
import { mailKindGroup, payloadInt } from '../mail/index.ts';
import { registrationMailBatch } from './mails-batch.ts';
import { notActive, registrantReason, registrationMail } from './mails.ts';
import { MESSAGE_KIND } from './messages.ts';
import { fitWords } from './sms-texts.ts';

/** Titles are cut in texts to leave room for the message itself. */
const TITLE_IN_TEXT = 40;

export const messageMailKinds = mailKindGroup('registrations/emails', registrationMailBatch, {
  [MESSAGE_KIND]: {
    label: "Message de l'organisation aux personnes inscrites",
    async prepare(ctx) {
      const r = await registrationMail(ctx, payloadInt(ctx.row.payload.registrationId), (reg) => notActive(reg));
      if ('skip' in r) return r;
      const messageId = payloadInt(ctx.row.payload.messageId);
      const [message] = messageId === null ? [] : await ctx.db.select().from(eventMessage).where(eq(eventMessage.id, messageId));
      if (!message || message.eventId !== r.reg.eventId) return { skip: 'message effacé' };
      const title = [...r.cal.title].length > TITLE_IN_TEXT ? `${[...r.cal.title].slice(0, TITLE_IN_TEXT - 3).join('').trimEnd()}...` : r.cal.title;
      return {
        subject: `${message.subject} – ${r.cal.title}`,
        data: { ...r.data, message: { subject: message.subject, body: message.body } },
        reason: registrantReason(),
        sms: fitWords(`Rassembler, message pour "${title}" : ${message.subject}. `, message.body),
      };
    },
  },
});
