// The one syntax of an e-mail address the app accepts, wherever an address is typed or used:
// an RFC 5322 addr-spec in its dot-atom form only, e.g. « prenom.nom+sism@exemple.fr ». Nothing a
// mail header or an SMTP envelope would read as a display name, a second address or a comment
// (« a<victim@evil.example> », « victim@evil.example,x »), and no quoted local part: the address
// stored is then exactly where the mail goes, and « one registration per address » holds.
const ATOM = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+";
const LABEL = '[A-Za-z0-9\\p{L}](?:[A-Za-z0-9\\p{L}-]{0,61}[A-Za-z0-9\\p{L}])?';
const ADDR_SPEC = new RegExp(`^${ATOM}(?:\\.${ATOM})*@${LABEL}(?:\\.${LABEL})*\\.\\p{L}{2,63}$`, 'u');

export function isEmailAddress(value: string): boolean {
  // 64 for the local part and 254 in all, as SMTP allows.
  const at = value.lastIndexOf('@');
  return value.length <= 254 && at > 0 && at <= 64 && ADDR_SPEC.test(value);
}
