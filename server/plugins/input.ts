// One input layer for every route: query and form values reach the routes as strings (a list of
// strings for a repeated field), without control characters, and of a bounded length; bodies
// come in form encodings only. Before this, a NUL byte (which PostgreSQL refuses in text) or a
// JSON number where a route expects text ended as a 500.
import fp from 'fastify-plugin';
import { HttpError } from './errors.ts';
import { formatNumber, inLanguage, t } from '../i18n/index.ts';

/** Longer than any field of any form (the longest, an event's description, allows 5,000). */
const MAX_VALUE_LENGTH = 20_000;
// C0 controls and DEL, except tab, line feed and carriage return, which a textarea sends.
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

type Values = Record<string, unknown>;

/** The same values, cleaned; throws a 400 (in the request's language) for anything a form cannot have sent. */
function cleaned(values: Values): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(values)) {
    const list = Array.isArray(value) ? value : [value];
    if (list.some((item) => typeof item !== 'string'))
      throw new HttpError(400, t('errors:input.notText'));
    const texts = (list as string[]).map((item) => item.replace(CONTROL_CHARACTERS, ''));
    if (texts.some((text) => text.length > MAX_VALUE_LENGTH))
      throw new HttpError(400, t('errors:input.tooLong', { max: formatNumber(MAX_VALUE_LENGTH) }));
    out[name] = Array.isArray(value) ? texts : texts[0]!;
  }
  return out;
}

export default fp(
  async (app) => {
    // Every form of the site is urlencoded (formbody); nothing reads JSON or plain text bodies.
    app.removeContentTypeParser(['application/json', 'text/plain']);
    app.addHook('preValidation', async (request) => {
      // After the body parser's events, the request's language must be named again for its messages.
      inLanguage(request.language?.code, () => {
        if (request.query && typeof request.query === 'object') request.query = cleaned(request.query as Values);
        if (request.body && typeof request.body === 'object') request.body = cleaned(request.body as Values);
      });
    });
  },
  { name: 'input', dependencies: ['forms'] },
);
