// @databases: none
// server/mail/transport.ts writes each message's header block with nodemailer's MimeNode, a module
// nodemailer does not document (docs/decisions/0009-nodemailer-header-block.md). An upgrade may
// change or remove it without notice: this test pins what we rely on, byte for byte, so that such
// an upgrade fails here, loudly, instead of sending malformed mail.
import t from 'tap';
import { createRequire } from 'node:module';
import MimeNode from 'nodemailer/lib/mime-node/index.js';

const require = createRequire(import.meta.url);
const REVIEWED = /^8\.0\.\d+$/;

t.test('the installed nodemailer is the release line whose private MimeNode was reviewed', async (t) => {
  const { version } = require('nodemailer/package.json') as { version: string };
  t.match(version, REVIEWED, `nodemailer ${version}: read docs/decisions/0009 and check MimeNode again before moving this pin`);
});

t.test('MimeNode encodes and folds the header block as the transport expects', async (t) => {
  const head = new MimeNode('multipart/alternative; boundary="--_Rsb-7-alternative"', { textEncoding: 'B' }).setHeader({
    From: 'SISM Grenoble <ne-pas-repondre@sism.example.org>',
    To: 'Zoé Lefèvre <zoe@example.org>',
    Subject: 'Confirmation : Ciné-débat « Vers la tendresse » — inscription pour 2 personnes avec interprétation LSF',
    'Message-ID': '<outbox-7@sism.example.org>',
    Date: 'Tue, 15 Sep 2026 08:00:00 +0000',
  });
  t.equal(
    head.buildHeaders(),
    [
      'From: SISM Grenoble <ne-pas-repondre@sism.example.org>',
      'To: =?UTF-8?B?Wm/DqSBMZWbDqHZyZQ==?= <zoe@example.org>',
      'Subject: =?UTF-8?B?Q29uZmlybWF0aW9uIDogQ2luw6ktZMOpYmF0IMKr?=',
      ' =?UTF-8?B?IFZlcnMgbGEgdGVuZHJlc3NlIMK7IOKAlCBpbnNj?=',
      ' =?UTF-8?B?cmlwdGlvbiBwb3VyIDIgcGVyc29ubmVzIGF2ZWMg?=',
      ' =?UTF-8?B?aW50ZXJwcsOpdGF0aW9uIExTRg==?=',
      'Message-ID: <outbox-7@sism.example.org>',
      'Date: Tue, 15 Sep 2026 08:00:00 +0000',
      'MIME-Version: 1.0',
      'Content-Type: multipart/alternative; boundary="--_Rsb-7-alternative"',
    ].join('\r\n'),
  );
});
