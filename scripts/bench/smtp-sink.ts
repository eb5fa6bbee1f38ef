// An SMTP server that only counts: run as a child process by the mail benchmark, so receiving does
// not share the worker's event loop. It keeps the Message-ID of every message it accepts and
// reports them when asked (IPC), which is how the benchmark counts lost and duplicated mails,
// with its CPU time so far (what receiving costs, apart from what sending costs).
import { SMTPServer } from 'smtp-server';

const received: string[] = [];

const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  size: 1024 * 1024,
  onData(stream, _session, callback) {
    // Only the header block is needed: the Message-ID is in it.
    let head = '';
    stream.on('data', (chunk: Buffer) => {
      if (head.length < 8192) head += chunk.toString('latin1');
    });
    stream.on('end', () => {
      const id = /^message-id:\s*(<[^>\r\n]+>)/im.exec(head.split(/\r?\n\r?\n/, 1)[0] ?? '')?.[1];
      received.push(id ?? '(sans Message-ID)');
      callback();
    });
  },
});

server.listen(0, '127.0.0.1', () => {
  const { port } = server.server.address() as { port: number };
  process.send!({ type: 'ready', port });
});

process.on('message', (message: { type: string }) => {
  if (message.type === 'stats') {
    const cpu = process.cpuUsage();
    process.send!({ type: 'stats', received, cpuMicros: cpu.user + cpu.system });
  }
  if (message.type === 'stop') server.close(() => process.exit(0));
});
