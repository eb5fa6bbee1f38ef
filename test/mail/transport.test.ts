// @databases: none
// The SMTP transport opens its own sockets (Nagle off, server/mail/transport.ts) and hands them to
// nodemailer: TLS must still be set up, whether implicit (smtps://) or by STARTTLS.
import t from 'tap';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { smtpTransport, type OutgoingMail } from '../../server/mail/transport.ts';

const mail: OutgoingMail = {
  outboxId: 1,
  messageId: '<outbox-1@sism.example.org>',
  date: new Date('2026-09-15T08:00:00Z'),
  from: 'ne-pas-repondre@sism.example.org',
  to: 'zoe@example.org',
  subject: 'Bonjour',
  text: 'Bonjour\n',
  html: '<p>Bonjour</p>\n',
};

for (const [scheme, secure] of [['smtps', true], ['smtp', false]] as const) {
  t.test(`${scheme}://: the message goes over TLS (${secure ? 'from the start' : 'after STARTTLS'})`, async (t) => {
    const received: Array<{ secure: boolean; to: string[] }> = [];
    // smtp-server's own self-signed certificate, hence rejectUnauthorized=false below.
    const server = new SMTPServer({
      secure,
      authOptional: true,
      logger: false,
      onData(stream, session, callback) {
        stream.resume();
        stream.on('end', () => {
          received.push({ secure: session.secure, to: session.envelope.rcptTo.map((r) => r.address) });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const { port } = server.server.address() as AddressInfo;
    const transport = smtpTransport(`${scheme}://127.0.0.1:${port}/?tls.rejectUnauthorized=false`, { timeouts: { connectionMs: 5000, greetingMs: 5000, socketMs: 5000 } });
    t.teardown(() => transport.close());
    await transport.send(mail);
    t.same(received, [{ secure: true, to: ['zoe@example.org'] }]);
  });
}
