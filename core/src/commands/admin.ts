import { z } from 'zod';
import { CommandError } from '../errors.ts';
import {
  BotConfig,
  Channel,
  Classification,
  Id,
  PauseReason,
  QuickReply,
  User,
  Sector,
  Settings,
  Tag,
  type CollectionName,
} from '../model/index.ts';
import { policy, type StaffActor } from '../policy.ts';
import { ref, refs } from '../store/refs.ts';
import type { Doc, Tx } from '../store/types.ts';
import { defineCommand, mustExist, staffOnly } from './runtime.ts';
import { deleteSector } from './sectorDelete.ts';

const ContactPatch = z.object({
  contactId: Id,
  name: z.string().trim().min(1, 'must not be empty').max(120).optional(),
  phone: z.string().trim().max(40).nullable().optional(),
  email: z.union([z.string().trim().email(), z.literal('')]).nullable().optional(),
  notes: z.string().max(5000).optional(),
  tagIds: z.array(Id).max(20).optional(),
});

export const updateContact = defineCommand({
  name: 'contact.update',
  input: ContactPatch,
  actors: ['staff'],
  async load(tx, input) {
    const contact = mustExist(await tx.get(refs.contact(input.contactId)), `Contact ${input.contactId}`);
    // Tickets carry a copy of the contact's name: the live ones are refreshed too.
    const tickets = await tx.query({
      collection: 'tickets',
      where: [['contactId', '==', contact.id], ['status', 'in', ['bot', 'waiting', 'open']]],
      orderBy: [],
      limit: 30,
    });
    for (const [i, id] of (input.tagIds ?? []).entries())
      if (!(await tx.get(refs.tag(id)))) throw new CommandError('not-found', `Tag ${id} does not exist`, [{ path: `tagIds.${i}`, message: 'no such tag' }]);
    return { contact, tickets };
  },
  authorize: (actor) => staffOnly(actor, (staff) => policy.canEditContact(staff)),
  run(tx, { contact, tickets }, input, ctx) {
    const after = {
      ...contact,
      ...(input.name !== undefined && { name: input.name }),
      ...(input.phone !== undefined && { phone: input.phone || null }),
      ...(input.email !== undefined && { email: input.email || null }),
      ...(input.notes !== undefined && { notes: input.notes }),
      ...(input.tagIds !== undefined && { tagIds: [...new Set(input.tagIds)] }),
      updatedAt: ctx.now,
    };
    tx.set(refs.contact(contact.id), after);
    for (const t of tickets)
      tx.update(refs.ticket(t.id), { contact: { name: after.name, phone: after.phone, email: after.email }, updatedAt: ctx.now });
    return { contact: after };
  },
});

/**
 * Save (create or replace) and delete commands for a configuration
 * collection whose documents are edited whole from an admin screen.
 */
/** A field of a saved document that names a sector: the sector must exist. */
interface SectorReference {
  path: string;
  sectorId: string;
}

/** Names compared as a person reads them: case, accents and repeated spaces do not make two names different. */
export const nameKey = (name: string): string => name.normalize('NFD').replace(/\p{Diacritic}/gu, '').trim().replace(/\s+/g, ' ').toLowerCase();

/** What two documents of a catalogue may not share (two "Suporte" checkboxes in the user dialog), and how to say so. */
const UNIQUE: Record<string, { field: string; message: (value: string) => string }> = {
  sector: { field: 'name', message: (v) => `There is already a sector named ${v}` },
  tag: { field: 'name', message: (v) => `There is already a tag named ${v}` },
  classification: { field: 'name', message: (v) => `There is already a classification named ${v}` },
  channel: { field: 'name', message: (v) => `There is already a channel named ${v}` },
  pauseReason: { field: 'name', message: (v) => `There is already a pause reason named ${v}` },
  quickReply: { field: 'shortcut', message: (v) => `There is already a quick reply with the shortcut /${v}` },
  user: { field: 'name', message: (v) => `There is already a user named ${v}` },
};

/** Refuses a save whose name (or shortcut) another document of the collection already has. Catalogues are small: one read of the collection. */
async function refuseDuplicate(tx: Tx, collection: CollectionName, noun: string, input: Record<string, unknown>): Promise<void> {
  const rule = UNIQUE[noun];
  const value = rule ? input[rule.field] : undefined;
  if (!rule || typeof value !== 'string' || !value.trim()) return;
  const key = nameKey(value);
  const others = (await tx.query({ collection, where: [], orderBy: [], limit: 2000 })) as unknown as Record<string, unknown>[];
  const clash = others.find((d) => d.id !== input.id && typeof d[rule.field] === 'string' && nameKey(d[rule.field] as string) === key);
  if (clash) throw new CommandError('already-exists', rule.message(String(clash[rule.field])), [{ path: rule.field, message: 'already in use' }]);
}

const catalogueCommands = <C extends CollectionName, Noun extends string, S extends z.ZodObject>(
  collection: C,
  noun: Noun,
  schema: S,
  who: (actor: StaffActor) => true | string,
  sectorReferences: (input: Record<string, unknown>) => SectorReference[] = () => [],
  /** Fields the admin screen does not edit, kept from the stored document (a channel's provider account and health). */
  kept: readonly string[] = [],
) => {
  // Typed by hand: zod cannot follow `omit` through the generic schema, and clients need the concrete input type.
  const SaveInput = schema.omit({ updatedAt: true } as never).extend({ id: Id.optional() }) as unknown as z.ZodType<
    Omit<z.output<S>, 'updatedAt' | 'id'> & { id?: string },
    Omit<z.input<S>, 'updatedAt' | 'id'> & { id?: string }
  >;
  return [
    defineCommand({
      name: `${noun}.save` as const,
      input: SaveInput,
      actors: ['staff'],
      async load(tx, input) {
        // Routing follows these ids: a dangling one would send tickets to a sector nobody sees.
        for (const { path, sectorId } of sectorReferences(input as Record<string, unknown>))
          if (!(await tx.get(refs.sector(sectorId)))) throw new CommandError('not-found', `Sector ${sectorId} does not exist`, [{ path, message: 'no such sector' }]);
        await refuseDuplicate(tx, collection, noun, input as Record<string, unknown>);
        const id = (input as { id?: string }).id;
        const existing = kept.length > 0 && id ? ((await tx.get(ref(collection, id))) as Record<string, unknown> | null) : null;
        return { existing };
      },
      authorize: (actor) => staffOnly(actor, (staff) => who(staff)),
      run(tx, { existing }, input, ctx) {
        const keep = Object.fromEntries(kept.filter((k) => existing && existing[k] !== undefined && (input as Record<string, unknown>)[k] === undefined).map((k) => [k, existing![k]]));
        const doc = { ...keep, ...(input as object), id: (input as { id?: string }).id ?? ctx.newId(), updatedAt: ctx.now };
        tx.set(ref(collection, doc.id), doc as never);
        return { [noun]: doc } as Record<Noun, Doc<C>>;
      },
    }),
    defineCommand({
      name: `${noun}.delete` as const,
      input: z.object({ id: Id }),
      actors: ['staff'],
      async load(tx, input) {
        return { doc: mustExist(await tx.get(ref(collection, input.id)), `${noun} ${input.id}`) };
      },
      authorize: (actor) => staffOnly(actor, (staff) => who(staff)),
      run(tx, _docs, input) {
        tx.delete(ref(collection, input.id));
        return { id: input.id };
      },
    }),
  ] as const;
};

const SectorInput = Sector;

const sectorOverflow = (input: Record<string, unknown>): SectorReference[] => {
  if (typeof input.overflowSectorId !== 'string') return [];
  if (input.overflowSectorId === input.id)
    throw new CommandError('invalid-argument', 'A sector cannot overflow to itself', [{ path: 'overflowSectorId', message: 'a sector cannot overflow to itself' }]);
  return [{ path: 'overflowSectorId', sectorId: input.overflowSectorId }];
};

const channelSectors = (input: Record<string, unknown>): SectorReference[] => {
  const found: SectorReference[] = [];
  if (typeof input.defaultSectorId === 'string') found.push({ path: 'defaultSectorId', sectorId: input.defaultSectorId });
  const bot = BotConfig.safeParse(input.bot);
  if (bot.success) for (const [i, option] of bot.data.menu.entries()) found.push({ path: `bot.menu.${i}.sectorId`, sectorId: option.sectorId });
  return found;
};
// The model's channel, less what only `channel.connect` and the outbox write (kept from the stored channel on save).
const ChannelInput = Channel.omit({ account: true, health: true });

export const saveUser = defineCommand({
  name: 'user.save',
  // The model's own fields (e-mail lower-cased and at most 200 characters, …): a saved user is always a valid User.
  input: User.pick({ id: true, name: true, email: true, role: true, sectorIds: true, seesAllHistory: true, active: true }),
  actors: ['staff'],
  async load(tx, input) {
    for (const [i, id] of input.sectorIds.entries())
      if (!(await tx.get(refs.sector(id)))) throw new CommandError('not-found', `Sector ${id} does not exist`, [{ path: `sectorIds.${i}`, message: 'no such sector' }]);
    // The e-mail is the login: two users with one e-mail would make signing in ambiguous.
    const sameEmail = await tx.query({ collection: 'users', where: [['email', '==', input.email]], orderBy: [], limit: 2 });
    const taken = sameEmail.find((u) => u.id !== input.id);
    if (taken) throw new CommandError('already-exists', `The e-mail ${input.email} is already used by ${taken.name}`, [{ path: 'email', message: 'already in use' }]);
    // Two people with one name cannot be told apart in transfer lists and reports.
    await refuseDuplicate(tx, 'users', 'user', input);
    return { existing: await tx.get(refs.user(input.id)) };
  },
  authorize: (actor) => staffOnly(actor, (staff) => policy.canAdminister(staff)),
  run(tx, { existing }, input, ctx) {
    const user = {
      ...input,
      presence: existing?.presence ?? ('offline' as const),
      // Set by their own commands (user.setSip, presence.call): the user dialog does not send them.
      ...(existing?.sip ? { sip: existing.sip } : {}),
      ...(existing?.onCallSince ? { onCallSince: existing.onCallSince } : {}),
      updatedAt: ctx.now,
    };
    tx.set(refs.user(user.id), user);
    return { user };
  },
});

export const updateSettings = defineCommand({
  name: 'settings.update',
  input: Settings.omit({ id: true, updatedAt: true }).partial(),
  actors: ['staff'],
  async load(tx) {
    return { settings: mustExist(await tx.get(refs.settings()), 'The workspace settings') };
  },
  // Supervisors may change the attachment policy only; everything else is the admin's.
  authorize: (actor, _docs, input) =>
    staffOnly(actor, (staff) => (Object.keys(input).every((k) => k === 'attachments') ? policy.canEditCatalogue(staff) : policy.canAdminister(staff))),
  run(tx, { settings }, input, ctx) {
    const after = { ...settings, ...input, updatedAt: ctx.now };
    tx.set(refs.settings(), after);
    return { settings: after };
  },
});

export const adminCommands = [
  updateContact,
  saveUser,
  updateSettings,
  ...catalogueCommands('quickReplies', 'quickReply', QuickReply, policy.canEditCatalogue),
  ...catalogueCommands('tags', 'tag', Tag, policy.canEditCatalogue),
  ...catalogueCommands('classifications', 'classification', Classification, policy.canEditCatalogue),
  ...catalogueCommands('pauseReasons', 'pauseReason', PauseReason, policy.canAdminister),
  // Deleting a sector moves its tickets and people (sectorDelete.ts); only its save is the generic one.
  catalogueCommands('sectors', 'sector', SectorInput, policy.canAdminister, sectorOverflow)[0],
  deleteSector,
  ...catalogueCommands('channels', 'channel', ChannelInput, policy.canAdminister, channelSectors, ['account', 'health', 'mail', 'humanAgentTag']),
];
