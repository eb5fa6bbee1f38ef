// @databases: pglite
// Connection limits on a real socket: a body sent drop by drop, or a connection that says
// nothing, is cut after the configured time instead of holding the process's resources forever.
import t, { type Test } from 'tap';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { buildTestApp } from '../helpers/app.ts';

/** Opens a connection, writes `start`, then `drip` every 100 ms; resolves with what the server
 *  answered once it closes the connection (or rejects after `giveUpMs`). */
function slowClient(port: number, start: string, drip: string | null, giveUpMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let received = '';
    const timer = drip === null ? null : setInterval(() => socket.writable && socket.write(drip), 100);
    const giveUp = setTimeout(() => {
      socket.destroy();
      reject(new Error(`still open after ${giveUpMs} ms`));
    }, giveUpMs);
    socket.on('data', (chunk) => (received += chunk.toString()));
    socket.on('error', () => {});
    socket.on('close', () => {
      if (timer) clearInterval(timer);
      clearTimeout(giveUp);
      resolve(received);
    });
    socket.write(start);
  });
}

/** The app listening on a free port with these limits; resolves with the port. */
async function listening(t: Test, env: Record<string, string>): Promise<number> {
  const { app } = await buildTestApp(t, { env });
  await app.listen({ port: 0, host: '127.0.0.1' });
  return (app.server.address() as AddressInfo).port;
}

t.test('REQUEST_TIMEOUT_SECONDS cuts a body sent slowly with a 408', async (t) => {
  const port = await listening(t, { REQUEST_TIMEOUT_SECONDS: '1', CONNECTION_TIMEOUT_SECONDS: '60' });
  const headers = 'POST /connexion HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 30000\r\n\r\n';
  // One byte every 100 ms keeps the connection busy: only the request limit can stop it.
  const answer = await slowClient(port, headers, 'a', 15_000);
  t.match(answer, /^HTTP\/1\.1 408/, 'answered 408 Request Timeout, then closed');
});

t.test('CONNECTION_TIMEOUT_SECONDS closes a silent connection without an answer', async (t) => {
  // The request limit far above: Node also times out a connection whose headers have not come
  // (with a 408), and with both limits at 1 s which of the two acts first is a race.
  const port = await listening(t, { REQUEST_TIMEOUT_SECONDS: '30', CONNECTION_TIMEOUT_SECONDS: '1' });
  const silent = await slowClient(port, '', null, 15_000);
  t.equal(silent, '', 'a connection that sends nothing is closed without an answer');
});
