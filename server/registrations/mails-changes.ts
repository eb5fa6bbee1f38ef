// The mails confirming a change the person made on their own page: seats (with the updated
// invite: same UID, a new SEQUENCE), needs (those now recorded), contact details (at a new
// address, a fresh manage link; at the old one, a short notice without any link). Rendered
// from current data at send time, like every registrant mail (mails.ts).
import { formatNumber, t } from '../i18n/index.ts';
import { mailKindGroup, payloadInt } from '../mail/index.ts';
import { registrationMailBatch } from './mails-batch.ts';
import { invite, notActive, registrantReason, registrationMail } from './mails.ts';
import { eventBits, fitSms, whose } from './sms-texts.ts';

export const changeMailKinds = mailKindGroup('registrations/emails', registrationMailBatch, {
  seats_changed: {
    label: 'Changement du nombre de places',
    async prepare(ctx) {
      const r = await registrationMail(ctx, payloadInt(ctx.row.payload.registrationId), (reg, ev) => notActive(reg) ?? (ev.state === 'cancelled' ? 'événement annulé entre-temps' : null));
      if ('skip' in r) return r;
      const confirmed = r.reg.state === 'confirmed';
      return {
        subject: t('registrantMails:subject.seatsChanged', { title: r.cal.title }),
        data: { ...r.data, confirmed },
        reason: registrantReason(),
        // Only a confirmed person holds a calendar entry to update.
        ...(confirmed ? { invite: invite(ctx, r.cal, r.reg, 'REQUEST') } : {}),
        sms: fitSms(
          (title) => t('registrantMails:sms.seatsChanged', { registration: whose(r.reg), title, when: eventBits(r.cal).when, count: r.reg.seats, n: formatNumber(r.reg.seats), url: String(r.data.manageUrl) }),
          r.cal.title,
        ),
      };
    },
  },

  needs_changed: {
    label: "Changement des besoins d'accessibilité",
    async prepare(ctx) {
      const r = await registrationMail(ctx, payloadInt(ctx.row.payload.registrationId), (reg) => notActive(reg));
      if ('skip' in r) return r;
      const sms = fitSms((title) => t('registrantMails:sms.needsChanged', { registration: whose(r.reg), title, url: String(r.data.manageUrl) }), r.cal.title);
      return { subject: t('registrantMails:subject.needsChanged', { title: r.cal.title }), data: r.data, reason: registrantReason(), sms };
    },
  },

  contact_changed: {
    label: 'Changement des coordonnées',
    async prepare(ctx) {
      const r = await registrationMail(ctx, payloadInt(ctx.row.payload.registrationId), () => null, 'manage+feed');
      if ('skip' in r) return r;
      const addressChanged = ctx.row.payload.addressChanged === true;
      // A new address starts with the event in its calendar (same UID as before).
      const withInvite = addressChanged && r.reg.state === 'confirmed' && r.cal.state !== 'cancelled';
      return {
        subject: t('registrantMails:subject.contactChanged', { title: r.cal.title }),
        data: { ...r.data, addressChanged, withInvite, person: { name: r.reg.name, email: r.reg.email, phone: r.reg.phone }, contact: r.reg.onBehalf ? { name: r.reg.contactName, email: r.reg.contactEmail, phone: r.reg.contactPhone } : null },
        reason: registrantReason(),
        ...(withInvite ? { invite: invite(ctx, r.cal, r.reg, 'REQUEST') } : {}),
        sms: fitSms((title) => t('registrantMails:sms.contactChanged', { registration: whose(r.reg), title, url: String(r.data.manageUrl) }), r.cal.title),
      };
    },
  },

  address_replaced: {
    label: 'Adresse e-mail remplacée (ancienne adresse)',
    async prepare(ctx) {
      // No link: this address no longer gives access to the registration.
      const r = await registrationMail(ctx, payloadInt(ctx.row.payload.registrationId), () => null, 'none');
      if ('skip' in r) return r;
      return {
        subject: t('registrantMails:subject.addressReplaced', { title: r.cal.title }),
        data: r.data,
        reason: t('registrantMails:reason.formerAddress'),
      };
    },
  },
});
