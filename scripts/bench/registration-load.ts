// Load generator for the registrations benchmark, run as a child process (so that autocannon
// does not share the app's event loop): POSTs the registration form with a unique email per
// request, round-robin over the given events, with the CSRF cookie and token fetched by the
// parent. Each request comes from its own address (X-Forwarded-For; the bench app trusts the
// proxy), as many residents would, so the per-address rate limit does not apply.
// Input: one JSON argument; output: autocannon's JSON result on stdout.
import autocannon from 'autocannon';

interface LoadOptions {
  baseUrl: string;
  eventIds: number[];
  cookie: string;
  csrfToken: string;
  connections: number;
  duration: number;
  runId: string;
}

const options = JSON.parse(process.argv[2] ?? '{}') as LoadOptions;
let n = 0;

const instance = autocannon(
  {
    url: options.baseUrl,
    connections: options.connections,
    duration: options.duration,
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: options.cookie },
    requests: [
      {
        method: 'POST',
        setupRequest: (request) => {
          const i = n++;
          const eventId = options.eventIds[i % options.eventIds.length]!;
          const body = new URLSearchParams({ _csrf: options.csrfToken, nom: `Personne ${i}`, email: `bench-${options.runId}-${i}@example.org`, places: '1' });
          return {
            ...request,
            path: `/evenements/${eventId}/inscription`,
            headers: { ...request.headers, 'x-forwarded-for': `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` },
            body: body.toString(),
          };
        },
      },
    ],
  },
  (error, result) => {
    if (error) {
      console.error(error);
      process.exit(1);
    }
    process.stdout.write(JSON.stringify(result));
  },
);
process.once('SIGINT', () => instance.stop());
