// Who may act on what. Every organiser and coordinator route asks these before touching an
// object, with the ids of the object itself (object-level authorisation).
import { and, eq, or } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { membership } from '../db/schema.ts';
import type { SessionUser } from '../plugins/session.ts';

export interface Roles {
  organisationIds: number[];
  territoryIds: number[];
  isAdmin: boolean;
}

export async function rolesOf(db: Database, user: SessionUser): Promise<Roles> {
  const rows = await db
    .select({ role: membership.role, organisationId: membership.organisationId, territoryId: membership.territoryId })
    .from(membership)
    .where(eq(membership.userId, user.id));
  return {
    organisationIds: rows.filter((r) => r.role === 'member' && r.organisationId !== null).map((r) => r.organisationId!),
    territoryIds: rows.filter((r) => r.role === 'coordinator' && r.territoryId !== null).map((r) => r.territoryId!),
    isAdmin: user.isAdmin,
  };
}

export async function isOrganisationMember(db: Database, user: SessionUser, organisationId: number): Promise<boolean> {
  const [row] = await db
    .select({ id: membership.id })
    .from(membership)
    .where(and(eq(membership.userId, user.id), eq(membership.role, 'member'), eq(membership.organisationId, organisationId)));
  return row !== undefined;
}

export async function isTerritoryCoordinator(db: Database, user: SessionUser, territoryId: number): Promise<boolean> {
  const [row] = await db
    .select({ id: membership.id })
    .from(membership)
    .where(and(eq(membership.userId, user.id), eq(membership.role, 'coordinator'), eq(membership.territoryId, territoryId)));
  return row !== undefined;
}

/** Organisers of the event's organisation, and coordinators of its territory. */
export async function canManageEvent(db: Database, user: SessionUser, event: { organisationId: number; territoryId: number }): Promise<boolean> {
  const [row] = await db
    .select({ id: membership.id })
    .from(membership)
    .where(
      and(
        eq(membership.userId, user.id),
        or(
          and(eq(membership.role, 'member'), eq(membership.organisationId, event.organisationId)),
          and(eq(membership.role, 'coordinator'), eq(membership.territoryId, event.territoryId)),
        ),
      ),
    )
    .limit(1);
  return row !== undefined;
}
