// Correcting who comes and how they are reached (the privacy page promises it), from the
// person's own page. A new address is where mails go from now on: it gets a fresh manage link,
// the old one a short notice without any link, and the links that went to the old address stop
// working (whoever holds that mailbox, perhaps by a typo, must not keep a key to the registration;
// the feed link would even list the new address's registrations). The link in use stays valid.
import { and, eq, ne } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { registration, registrationToken } from '../db/schema.ts';
import { hashToken } from '../lib/tokens.ts';
import { recipientOf } from './links.ts';
import { notifyRegistrant, reachColumns } from './notify.ts';
import { isDuplicateEmail } from './register.ts';
import type { ContactInput } from './schemas.ts';

export type ContactChangeResult = { ok: true; addressChanged: boolean } | { ok: false; reason: 'not_found' | 'duplicate_email' };

export async function changeContact(db: Database, now: Date, registrationId: number, input: ContactInput, tokenInUse: string): Promise<ContactChangeResult> {
  try {
    return await db.transaction(async (tx): Promise<ContactChangeResult> => {
      const [before] = await tx
        .select(reachColumns)
        .from(registration)
        .where(eq(registration.id, registrationId))
        .for('update');
      if (!before) return { ok: false, reason: 'not_found' };
      // Whether a helper registered the person is not a contact detail: their fields follow it.
      const values = before.onBehalf ? input : { ...input, contactName: null, contactEmail: null, contactPhone: null };
      await tx
        .update(registration)
        .set({ ...values, updatedAt: now })
        .where(eq(registration.id, registrationId));
      const after = { ...before, email: values.email, contactEmail: values.contactEmail, phone: values.phone, contactPhone: values.contactPhone };
      const oldAddress = recipientOf(before);
      const newAddress = recipientOf(after);
      const addressChanged = (oldAddress?.toLowerCase() ?? null) !== (newAddress?.toLowerCase() ?? null);
      if (addressChanged) {
        await tx
          .delete(registrationToken)
          .where(and(eq(registrationToken.registrationId, registrationId), ne(registrationToken.tokenHash, hashToken(tokenInUse))));
        if (oldAddress) await notifyRegistrant(tx, before, { kind: 'address_replaced', sendAfter: now });
      }
      await notifyRegistrant(tx, after, { kind: 'contact_changed', payload: { addressChanged }, sendAfter: now });
      return { ok: true, addressChanged };
    });
  } catch (error) {
    if (isDuplicateEmail(error)) return { ok: false, reason: 'duplicate_email' };
    throw error;
  }
}
