// The import rules of server/ (docs/decisions/0008-feature-front-doors.md), checked by
// `npm run lint:imports` and in CI. A feature is any folder of server/ other than the shared
// layers (lib, db, domain, plugins); another folder reaches it only through its index.ts.
const shared = '(lib|db|domain|plugins|i18n)';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'An import circle between modules ties what should be layered: move the shared piece down.',
      from: { path: '^server/' },
      to: { circular: true, viaNot: '^server/[^/]+/index\\.ts$' },
    },
    {
      name: 'feature-circle',
      severity: 'warn',
      comment:
        'Two features that reach each other through their front doors (events <-> registrations, programme <-> calendar): ' +
        'known, listed in docs/decisions/0008-feature-front-doors.md, to be cut by the next structural change.',
      from: { path: '^server/' },
      to: { circular: true, via: '^server/[^/]+/index\\.ts$' },
    },
    {
      name: 'feature-front-door',
      severity: 'error',
      comment: "Outside a feature, import only its front door (server/<feature>/index.ts), never its internal modules.",
      from: { path: '^server/([^/]+)/' },
      to: {
        path: `^server/(?!${shared}/)[^/]+/`,
        pathNot: ['^server/$1/', '^server/[^/]+/index\\.ts$'],
      },
    },
    {
      name: 'composition-through-front-doors',
      severity: 'error',
      comment: 'app.ts, main.ts and the other top-level modules assemble features through their front doors.',
      from: { path: '^server/[^/]+\\.ts$' },
      to: { path: `^server/(?!${shared}/)[^/]+/(?!index\\.ts$)` },
    },
    {
      name: 'shared-layers-know-no-feature',
      severity: 'error',
      comment: 'lib, db, domain and plugins serve every feature, so they import none.',
      from: { path: `^server/${shared}/` },
      to: { path: `^server/(?!${shared}/|config\\.ts$)` },
    },
    {
      name: 'lib-is-plain',
      severity: 'error',
      comment: 'lib/ holds small helpers with no feature, database or Fastify knowledge (dates are written in the language of the moment: i18n).',
      from: { path: '^server/lib/', pathNot: '^server/lib/command\\.ts$' },
      to: { path: '^server/(?!lib/|i18n/)' },
    },
    {
      name: 'no-dev-dependencies-in-server',
      severity: 'error',
      comment: 'Production code runs without devDependencies.',
      from: { path: '^server/' },
      to: { dependencyTypes: ['npm-dev'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '^(node_modules|static|data)/' },
  },
};
