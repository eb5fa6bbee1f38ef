export { memoById, type BatchShare } from './batch.ts';
export { mailKindGroup, mailRegistry, nothingShared, payloadInt, payloadText, type FailedSmsHandler, type MailContext, type Skip } from './kinds.ts';
export { deleteLocalMails } from './mailbox.ts';
export { deleteMailsAbout, enqueueMail, type MailRequest } from './outbox.ts';
export { outboxCounts } from './queries.ts';
export { mailRenderer } from './render.ts';
export { default as mailRoutes } from './routes.ts';
export { startMailWorker } from './worker.ts';
