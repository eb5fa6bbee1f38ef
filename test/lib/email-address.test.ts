// @databases: none
// One address syntax everywhere: what is stored is where the mail goes.
import t from 'tap';
import { isEmailAddress } from '../../server/lib/email-address.ts';

t.test('addr-spec only: no display name, no second address, no comment', async (t) => {
  for (const good of ['awa@example.org', 'prenom.nom+sism@exemple.fr', "o'brien@example.ie", 'a_b-c@sous.domaine.example.fr', 'contact@mairie-échirolles.fr'])
    t.ok(isEmailAddress(good), `accepted: ${good}`);
  for (const bad of [
    'a<victim@evil.example>',
    'Awa <awa@example.org>',
    'victim@evil.example,x',
    'victim@evil.example, other@example.org',
    'victim@evil.example;x@y.fr',
    '"quoted"@example.org',
    'awa@example.org (commentaire)',
    'awa @example.org',
    'awa@example.org\r\nBcc: x@evil.example',
    '.awa@example.org',
    'awa..diallo@example.org',
    'awa@example',
    'awa@-example.org',
    'awa@example.o',
    `${'a'.repeat(65)}@example.org`,
    `awa@${'a'.repeat(250)}.fr`,
    '',
  ])
    t.notOk(isEmailAddress(bad), `refused: ${JSON.stringify(bad)}`);
});
