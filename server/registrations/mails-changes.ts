// The mails confirming a change the person made on their own page: seats (with the updated
// invite: same UID, a new SEQUENCE), needs (those now recorded), contact details (at a new
// address, a fresh manage link; at the old one, a short notice without any link). Rendered
// from current data at send time, like every registrant mail (mails.ts).
import { mailKindGroup, payloadInt } from '../mail/index.ts';
import { registrationMailBatch } from './mails-batch.ts';
import { invite, notActive, REGISTRANT_REASON, registrationMail } from './mails.ts';
import { eventBits, fitSms, whose } from './sms-texts.ts';

export const changeMailKinds = mailKindGroup('registrations/emails', registrationMailBatch, {
  seats_changed: {
    label: 'Changement du nombre de places',
    async prepare(ctx) {
      const r = await registrationMail(ctx, payloadInt(ctx.row.payload.registrationId), (reg, ev) => notActive(reg) ?? (ev.state === 'cancelled' ? 'événement annulé entre-temps' : null));
      if ('skip' in r) return r;
      const confirmed = r.reg.state === 'confirmed';
      return {
        subject: `Nombre de places modifié : ${r.cal.title}`,
        data: { ...r.data, confirmed },
        reason: REGISTRANT_REASON,
        // Only a confirmed person holds a calendar entry to update.
        ...(confirmed ? { invite: invite(ctx, r.cal, r.reg, 'REQUEST') } : {}),
        sms: fitSms((t) => `Rassembler : ${whose(r.reg)} à "${t}" (${eventBits(r.cal).when}) compte maintenant ${r.reg.seats} place${r.reg.seats > 1 ? 's' : ''}. Gérer : ${r.data.manageUrl}`, r.cal.title),
      };
    },
  },

  needs_changed: {
    label: "Changement des besoins d'accessibilité",
    async prepare(ctx) {
      const r = await registrationMail(ctx, payloadInt(ctx.row.payload.registrationId), (reg) => notActive(reg));
      if ('skip' in r) return r;
      const sms = fitSms((t) => `Rassembler : les besoins d'accessibilité de ${whose(r.reg)} à "${t}" sont modifiés. Les voir : ${r.data.manageUrl}`, r.cal.title);
      return { subject: `Besoins d'accessibilité modifiés : ${r.cal.title}`, data: r.data, reason: REGISTRANT_REASON, sms };
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
        subject: `Coordonnées modifiées : ${r.cal.title}`,
        data: { ...r.data, addressChanged, withInvite, person: { name: r.reg.name, email: r.reg.email, phone: r.reg.phone }, contact: r.reg.onBehalf ? { name: r.reg.contactName, email: r.reg.contactEmail, phone: r.reg.contactPhone } : null },
        reason: REGISTRANT_REASON,
        ...(withInvite ? { invite: invite(ctx, r.cal, r.reg, 'REQUEST') } : {}),
        sms: fitSms((t) => `Rassembler : les coordonnées de ${whose(r.reg)} à "${t}" sont modifiées. Les voir : ${r.data.manageUrl}`, r.cal.title),
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
        subject: `Adresse e-mail remplacée : ${r.cal.title}`,
        data: r.data,
        reason: "Vous recevez ce message parce qu'une inscription avait été faite avec cette adresse sur Rassembler.",
      };
    },
  },
});
