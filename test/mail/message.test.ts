// @databases: none
// The raw message both transports send (server/mail/transport.ts), read back by mailparser as a
// mail client would: headers, both bodies, and the invite as alternative and as attachment.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t, { type Test } from 'tap';
import { simpleParser } from 'mailparser';
import { emlFileName, localTransport, mailDir, type OutgoingMail } from '../../server/mail/transport.ts';

async function sentAs(t: Test, mail: OutgoingMail) {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'rassembler-message-'));
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }));
  await localTransport({ dataDir }).send(mail);
  const raw = readFileSync(path.join(mailDir({ dataDir }), emlFileName(mail.outboxId)));
  return { raw, parsed: await simpleParser(raw) };
}

const base: OutgoingMail = {
  outboxId: 42,
  messageId: '<outbox-42@sism.example.org>',
  date: new Date('2026-09-15T08:00:00Z'),
  from: 'Semaines de la santé mentale <ne-pas-repondre@sism.example.org>',
  to: 'Zoé Müller <zoe@example.org>',
  subject: "Inscription confirmée : « L'atelier d'écriture », un titre assez long pour être replié sur plusieurs lignes d'en-tête",
  // A line that starts with a dot, one longer than a mail line may be, and characters outside Latin-1.
  text: ".point en début de ligne\n" + 'é'.repeat(200) + '\nÉmoji 🎨, tiret – et guillemets « »\n',
  html: '<p>Bonjour Zoé,</p>\n<p>' + 'à'.repeat(300) + '</p>\n',
};

t.test('a mail without invite: headers encoded, text and html as alternatives, nothing attached', async (t) => {
  const { raw, parsed } = await sentAs(t, base);
  t.ok(/^[\x00-\x7f]*$/.test(raw.toString('latin1')), 'the message is 7-bit');
  t.ok(raw.toString('latin1').split('\r\n').every((line) => line.length <= 78), 'no line longer than 78 characters');
  t.match(parsed.headers.get('content-type'), { value: 'multipart/alternative' });
  t.equal(parsed.subject, base.subject);
  t.same(parsed.from?.value, [{ name: 'Semaines de la santé mentale', address: 'ne-pas-repondre@sism.example.org' }]);
  t.same(!Array.isArray(parsed.to) && parsed.to?.value, [{ name: 'Zoé Müller', address: 'zoe@example.org' }]);
  t.equal(parsed.messageId, base.messageId);
  t.same(parsed.date, base.date);
  t.equal(parsed.text, base.text);
  t.equal(parsed.html, base.html);
  t.same(parsed.attachments, []);
});

t.test('a mail with an invite: the invite as a text/calendar alternative with its method, and as an invitation.ics attachment', async (t) => {
  const content = 'BEGIN:VCALENDAR\r\nMETHOD:CANCEL\r\nSUMMARY:Atelier d’écriture\r\nEND:VCALENDAR\r\n';
  const { parsed } = await sentAs(t, { ...base, invite: { method: 'CANCEL', content } });
  t.match(parsed.headers.get('content-type'), { value: 'multipart/mixed' });
  t.equal(parsed.text, base.text);
  t.equal(parsed.html, base.html);
  const calendar = parsed.attachments.find((a) => a.contentType === 'text/calendar');
  t.equal(calendar?.content.toString('utf8'), content);
  t.match(calendar?.headers.get('content-type'), { params: { method: 'CANCEL', charset: 'utf-8' } });
  const file = parsed.attachments.find((a) => a.filename === 'invitation.ics');
  t.equal(file?.contentType, 'application/ics');
  t.equal(file?.contentDisposition, 'attachment');
  t.equal(file?.content.toString('utf8'), content);
  t.equal(parsed.attachments.length, 2);
});
