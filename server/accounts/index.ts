export { currentUser, requireAdmin, requireSignIn, signedInWith } from './guards.ts';
export { accountMailKinds } from './mails.ts';
export { coordinatedTerritories, listMembers, organisationsOfUser } from './organisations.ts';
export { ensureAdmin } from './people.ts';
export { canManageEvent, isOrganisationMember, isTerritoryCoordinator } from './permissions.ts';
export { default as accountsRoutes } from './routes.ts';
export { purgeSpentCredentials } from './sign-in.ts';
