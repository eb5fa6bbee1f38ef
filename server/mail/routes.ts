// The local mailbox (/boite-aux-lettres: only without SMTP, for everyone in a demo served to this
// machine only, for administrators otherwise) and the administrators' view of mails that could not be sent.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { FeatureOptions } from '../plugins/feature.ts';
import { hasMessage, t } from '../i18n/index.ts';
import { isLocalOnly } from '../config.ts';
import { requireAdmin } from '../accounts/index.ts';
import { setFlash, takeFlash } from '../plugins/flash.ts';
import { notFound } from '../plugins/errors.ts';
import type { MailRegistry } from './kinds.ts';
import { listMailbox, mailboxEnabled, readMailboxAttachment, readMailboxMessage } from './mailbox.ts';
import { MAX_ATTEMPTS } from './claims.ts';
import { failedMails, outboxCounts, resendFailedMail, retryingMails } from './queries.ts';

function idParam(request: FastifyRequest): number {
  const raw = (request.params as { id?: string }).id ?? '';
  if (!/^\d{1,15}$/.test(raw)) throw notFound();
  return Number(raw);
}

const RESEND_MESSAGES = {
  queued: (id: number) => t('mailbox:resend.queued', { id }),
  not_failed: (id: number) => t('mailbox:resend.notFailed', { id }),
  link_erased: (id: number) => t('mailbox:resend.linkErased', { id }),
};

const mailRoutes: FastifyPluginAsync<FeatureOptions & { registry: MailRegistry }> = async (app, { config, db, clock, registry }) => {
  // The kinds' names in the administrator's language (mailbox:kinds.*); a kind the catalogue does
  // not know yet keeps the label its feature gave it.
  const kindLabel = (kind: string) => (hasMessage(`mailbox:kinds.${kind}`) ? t(`mailbox:kinds.${kind}`) : (registry.kinds.get(kind)?.label ?? kind));

  /**
   * No mailbox page when mails really leave (SMTP). It holds sign-in links (the first
   * administrator's too): anyone may look only in a demo reachable from this machine alone.
   */
  async function mailboxGuard(request: FastifyRequest, reply: FastifyReply) {
    if (!mailboxEnabled(config)) throw notFound();
    if (config.demoData && isLocalOnly(config)) return;
    return requireAdmin(request, reply);
  }

  app.get('/boite-aux-lettres', { preHandler: mailboxGuard }, async (_request, reply) => {
    const mails = await listMailbox(config);
    return reply.page('mail/mailbox', { mails, mailDir: `${config.dataDir}/mail` }, { title: t('mailbox:mailbox.title'), personal: true });
  });

  app.get('/boite-aux-lettres/:id', { preHandler: mailboxGuard }, async (request, reply) => {
    const mail = await readMailboxMessage(config, idParam(request));
    if (!mail) throw notFound(t('mailbox:message.notFound'));
    return reply.page('mail/message', { mail }, { title: mail.subject, personal: true });
  });

  // The HTML part alone, in a sandboxed document: no script runs, nothing is loaded from outside.
  app.get('/boite-aux-lettres/:id/html', { preHandler: mailboxGuard }, async (request, reply) => {
    const mail = await readMailboxMessage(config, idParam(request));
    if (!mail?.html) throw notFound(t('mailbox:message.noHtml'));
    return reply
      .header('Content-Security-Policy', "sandbox allow-popups allow-popups-to-escape-sandbox allow-top-navigation-by-user-activation; default-src 'none'; style-src 'unsafe-inline'; img-src data:")
      .header('Cache-Control', 'no-store')
      .type('text/html; charset=utf-8')
      .send(mail.html);
  });

  app.get('/boite-aux-lettres/:id/pieces-jointes/:index', { preHandler: mailboxGuard }, async (request, reply) => {
    const index = (request.params as { index: string }).index;
    if (!/^\d{1,3}$/.test(index)) throw notFound();
    const attachment = await readMailboxAttachment(config, idParam(request), Number(index));
    if (!attachment) throw notFound(t('mailbox:message.noAttachment'));
    return reply
      .header('Content-Disposition', `attachment; filename="${attachment.filename.replace(/[^\w.-]/g, '_')}"`)
      .header('Cache-Control', 'no-store')
      .type(attachment.contentType)
      .send(attachment.content);
  });

  app.get('/admin/courriels', { preHandler: requireAdmin }, async (request, reply) => {
    const [counts, failed, retrying] = await Promise.all([outboxCounts(db), failedMails(db), retryingMails(db)]);
    return reply.page(
      'mail/admin',
      { counts, failed, retrying, kindLabel, maxAttempts: MAX_ATTEMPTS, flash: takeFlash(request), mailbox: mailboxEnabled(config) },
      { title: t('mailbox:admin.title'), personal: true },
    );
  });

  app.post('/admin/courriels/:id/renvoyer', { preHandler: requireAdmin }, async (request, reply) => {
    const id = idParam(request);
    const outcome = await resendFailedMail(db, registry, id, clock.now());
    setFlash(request, RESEND_MESSAGES[outcome](id));
    return reply.redirect('/admin/courriels', 303);
  });
};

export default mailRoutes;
