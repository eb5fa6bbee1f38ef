// Ids in URLs, shared by every feature's routes.
import type { FastifyRequest } from 'fastify';
import { notFound } from './errors.ts';

/** A positive integer id, or a 404 (never a 500 on « /abc » or a huge number). */
export function parseId(raw: string): number {
  const id = /^\d{1,9}$/.test(raw) ? Number(raw) : 0;
  if (id <= 0) throw notFound();
  return id;
}

/** The named URL parameter as an id (see parseId). */
export function idParam(request: FastifyRequest, name: string): number {
  return parseId((request.params as Record<string, string | undefined>)[name] ?? '');
}
