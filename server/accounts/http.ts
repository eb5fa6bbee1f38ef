// Small HTTP helpers shared by the account routes.
import type { FastifyRequest } from 'fastify';
import { notFound } from '../plugins/errors.ts';

/** A positive integer id from the URL, or a 404 (never a 500 on « /abc » or a huge number). */
export function idParam(request: FastifyRequest, name: string): number {
  const raw = (request.params as Record<string, string | undefined>)[name] ?? '';
  const id = /^\d{1,9}$/.test(raw) ? Number(raw) : 0;
  if (id <= 0) throw notFound();
  return id;
}
