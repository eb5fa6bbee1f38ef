// Static files (CSS, images, vendored htmx) and compressed responses, as a deployment serves them.
import path from 'node:path';
import { constants as zlib } from 'node:zlib';
import fp from 'fastify-plugin';
import compress from '@fastify/compress';
import fastifyStatic from '@fastify/static';
import { projectPath } from '../lib/project-path.ts';

export const staticDir = projectPath('static');

export default fp(
  async (app) => {
    await app.register(compress, { global: true, threshold: 1024, encodings: ['br', 'gzip', 'deflate'], brotliOptions: { params: { [zlib.BROTLI_PARAM_QUALITY]: 4 } } });
    await app.register(fastifyStatic, { root: staticDir, prefix: '/static/', maxAge: '1h', wildcard: true });
  },
  { name: 'assets' },
);
