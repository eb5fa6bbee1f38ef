/**
 * RFC 5545 §3.1: content lines longer than 75 octets are split with CRLF + space, never inside a
 * UTF-8 character. `text` is CRLF-terminated lines. One pass over the characters, copying the
 * text between folds as slices: splitting every VEVENT into lines and joining them again cost
 * more than ical-generator's own serialisation of the event.
 */
export function foldLines(text: string): string {
  let folded = '';
  let copied = 0; // text[0, copied) is in `folded` already
  let bytes = 0;
  let limit = 75; // the first line; continuation lines spend one octet on the leading space
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x0d && text.charCodeAt(i + 1) === 0x0a) {
      bytes = 0;
      limit = 75;
      i++;
      continue;
    }
    const size = code < 0x80 ? 1 : code < 0x800 ? 2 : code >= 0xd800 && code <= 0xdbff ? 4 : 3;
    if (bytes + size > limit) {
      folded += `${text.slice(copied, i)}\r\n `;
      copied = i;
      bytes = 0;
      limit = 74;
    }
    bytes += size;
    if (size === 4) i++; // the low surrogate travels with its pair
  }
  return copied === 0 ? text : folded + text.slice(copied);
}
