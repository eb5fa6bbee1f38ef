// The mails of accounts: the sign-in link and the invitation to join an organisation or to
// coordinate a territory. Both carry a link that works like a password for a while: the worker
// erases it from the outbox once the mail is done with (secretPayloadKeys). Their words are in the
// accounts catalogue (accounts:mails.*), written in the row's language (the mail is rendered in it);
// `label` is the administrators' word, read in their language from mailbox:kinds.*.
import { eq } from 'drizzle-orm';
import { appUser, organisation, territory } from '../db/schema.ts';
import { formatDateTime } from '../lib/time.ts';
import { t, tHtml } from '../i18n/index.ts';
import { mailKindGroup, nothingShared, payloadInt, payloadText } from '../mail/index.ts';

export const accountMailKinds = mailKindGroup('accounts/emails', nothingShared, {
  sign_in_link: {
    label: 'Lien de connexion',
    secretPayloadKeys: ['url'],
    urgent: true,
    async prepare(ctx) {
      const url = payloadText(ctx.row.payload.url);
      if (!url) return { skip: 'contenu incomplet (lien absent du message)' };
      const expiresAt = payloadText(ctx.row.payload.expiresAt);
      // A link that has already expired is of no use: better no mail than a dead link.
      if (expiresAt && Date.parse(expiresAt) <= ctx.now.getTime()) return { skip: 'lien expiré avant envoi' };
      return {
        subject: t('accounts:mails.signInLink.subject'),
        data: { url, expiresAt: expiresAt ? formatDateTime(new Date(expiresAt), 'Europe/Paris') : null, t, tHtml },
        reason: t('accounts:mails.signInLink.reason'),
      };
    },
  },

  invitation: {
    label: 'Invitation',
    secretPayloadKeys: ['url'],
    async prepare(ctx) {
      const url = payloadText(ctx.row.payload.url);
      if (!url) return { skip: 'contenu incomplet (lien absent du message)' };
      const expiresAt = payloadText(ctx.row.payload.expiresAt);
      if (expiresAt && Date.parse(expiresAt) <= ctx.now.getTime()) return { skip: 'invitation expirée avant envoi' };
      const organisationId = payloadInt(ctx.row.payload.organisationId);
      const territoryId = payloadInt(ctx.row.payload.territoryId);
      const inviterId = payloadInt(ctx.row.payload.invitedByUserId);
      let scope: { kind: 'organisation' | 'territory'; name: string } | null = null;
      if (organisationId !== null) {
        const [org] = await ctx.db.select({ name: organisation.name }).from(organisation).where(eq(organisation.id, organisationId));
        if (org) scope = { kind: 'organisation', name: org.name };
      } else if (territoryId !== null) {
        const [terr] = await ctx.db.select({ name: territory.name }).from(territory).where(eq(territory.id, territoryId));
        if (terr) scope = { kind: 'territory', name: terr.name };
      }
      if (!scope) return { skip: 'organisation ou territoire effacé' };
      const [inviter] = inviterId !== null ? await ctx.db.select({ name: appUser.name, email: appUser.email }).from(appUser).where(eq(appUser.id, inviterId)) : [];
      const subject =
        scope.kind === 'organisation'
          ? t('accounts:mails.invitation.subjectOrganisation', { name: scope.name })
          : t('accounts:mails.invitation.subjectTerritory', { name: scope.name });
      return {
        subject,
        data: {
          url,
          scope,
          inviter: inviter ? (inviter.name ?? inviter.email) : null,
          expiresAt: expiresAt ? formatDateTime(new Date(expiresAt), 'Europe/Paris') : null,
          t,
          tHtml,
        },
        reason: t('accounts:mails.invitation.reason'),
      };
    },
  },
});
