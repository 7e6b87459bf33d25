import type { Contact } from './model/index.ts';
import { refs } from './store/refs.ts';
import type { Tx } from './store/types.ts';

/** A new contact known by one identity (`channel:externalId`), created in the caller's transaction. */
export const createContact = (tx: Tx, who: Pick<Contact, 'name' | 'phone' | 'email'>, identityKey: string, ctx: { newId: () => string; now: number }): Contact => {
  const contact: Contact = { id: ctx.newId(), ...who, identityKeys: [identityKey], tagIds: [], notes: '', createdAt: ctx.now, updatedAt: ctx.now };
  tx.create(refs.contact(contact.id), contact);
  return contact;
};
