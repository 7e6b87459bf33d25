import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { commandRegistry, defineCommand, executeCommand, refs, type AnyCommand } from '../src/index.ts';
import { expectError, makeWorld, staff } from './support.ts';

describe('command runner', () => {
  it('refuses an unknown command, naming it', async () => {
    const w = await makeWorld();
    const e = await expectError(w.run(staff('ana'), 'ticket.teleport', {}), 'invalid-argument', /ticket\.teleport/);
    expect(e.issues).toEqual([{ path: 'command', message: expect.any(String) }]);
  });

  it('refuses bad input with the path of every field at fault', async () => {
    const w = await makeWorld();
    const accept = await expectError(w.run(staff('ana'), 'ticket.accept', { ticketId: 'a/b' }), 'invalid-argument', /ticketId/);
    expect(accept.issues.map((i) => i.path)).toEqual(['ticketId']);

    const missing = await expectError(w.run(staff('ana'), 'ticket.accept', {}), 'invalid-argument');
    expect(missing.issues.map((i) => i.path)).toEqual(['ticketId']);

    const send = await expectError(
      w.run(staff('ana'), 'message.send', { ticketId: 'x', text: 'a', attachments: [{ id: 'f', name: 'a.png', mime: 'image/png', size: -1, kind: 'image' }] }),
      'invalid-argument',
    );
    expect(send.issues.map((i) => i.path)).toEqual(['attachments.0.size']);

    const empty = await expectError(w.run(staff('ana'), 'message.send', { ticketId: 'x', text: '   ' }), 'invalid-argument');
    expect(empty.issues.map((i) => i.path)).toEqual(['text']);

    const inbound = await expectError(w.run({ kind: 'system' }, 'inbound.receive', { channelId: 'site', externalId: '', channelMessageId: 'm', text: 'x', contact: { email: 'nope' } }), 'invalid-argument');
    expect(inbound.issues.map((i) => i.path).sort()).toEqual(['contact.email', 'externalId']);

    const notAnObject = await expectError(w.run(staff('ana'), 'ticket.accept', 'T1'), 'invalid-argument');
    expect(notAnObject.issues.map((i) => i.path)).toEqual(['(body)']);
  });

  it('refuses a staff command to a web-chat customer and to the system, before looking at the input', async () => {
    const w = await makeWorld();
    await expectError(w.run({ kind: 'customer', contactId: 'c', channelId: 'site' }, 'ticket.accept', { ticketId: 'nope' }), 'permission-denied', /ticket\.accept/);
    await expectError(w.run({ kind: 'customer', contactId: 'c', channelId: 'site' }, 'user.save', 42), 'permission-denied');
    await expectError(w.run({ kind: 'system' }, 'message.send', { ticketId: 'x', text: 'hi' }), 'permission-denied');
    // And the other way round: staff may not pose as a channel.
    await expectError(w.run(staff('alice'), 'inbound.receive', { channelId: 'site', externalId: 'x', channelMessageId: 'm', text: 'hi' }), 'permission-denied');
  });

  it('a refusal by authorize writes nothing', async () => {
    const w = await makeWorld();
    const { ticketId } = await w.inbound('site', 'v1', 'Olá');
    const before = w.dump();
    await expectError(w.run(staff('bruno'), 'ticket.accept', { ticketId }), 'permission-denied', /sector/);
    await expectError(w.run(staff('ana'), 'sector.save', { id: 'x', name: 'X', color: '#000000', overflowSectorId: null }), 'permission-denied', /admin/);
    await expectError(w.run(staff('ana'), 'tag.save', { id: 'x', name: 'X', color: '#000000' }), 'permission-denied');
    expect(w.dump()).toBe(before);
  });

  it('a command that fails after writing leaves the store as it was (all or nothing)', async () => {
    const w = await makeWorld();
    const { ticketId } = await w.inbound('site', 'v1', 'Olá');
    const failing = (error: Error): AnyCommand =>
      defineCommand({
        name: 'test.half',
        input: z.object({}),
        actors: ['system'],
        load: async (tx) => ({ ticket: await tx.get(refs.ticket(ticketId)) }),
        authorize: () => true,
        run(tx, { ticket }, _input, ctx) {
          tx.set(refs.ticket(ticketId), { ...ticket!, status: 'closed', updatedAt: ctx.now });
          tx.increment('tickets.closed.sector.suporte', 1);
          tx.delete(refs.sector('vendas'));
          throw error;
        },
      });
    const before = w.dump();
    for (const error of [new TypeError('boom'), new Error('precondition')]) {
      const registry = new Map([['test.half', failing(error)]]);
      await expect(executeCommand(registry, w.deps, { kind: 'system' }, 'test.half', {})).rejects.toBe(error);
      expect(w.dump()).toBe(before);
    }
    // A conflict found at commit (creating what exists) also undoes every earlier write of the transaction.
    const conflicting = defineCommand({
      name: 'test.conflict',
      input: z.object({}),
      actors: ['system'],
      load: async () => ({}),
      authorize: () => true,
      run(tx) {
        tx.increment('tickets.open.sector.suporte', 1);
        tx.create(refs.tag('vip'), { id: 'vip', name: 'Other', color: '#000000', updatedAt: 1 });
      },
    });
    await expectError(executeCommand(new Map([['test.conflict', conflicting]]), w.deps, { kind: 'system' }, 'test.conflict', {}), 'already-exists');
    expect(w.dump()).toBe(before);
    // And the store still works afterwards.
    await w.run(staff('ana'), 'ticket.accept', { ticketId });
    expect(w.ticket(ticketId).status).toBe('open');
  });

  it('a transaction that reads after writing is a programming error, and writes nothing', async () => {
    const w = await makeWorld();
    const before = w.dump();
    const bad = defineCommand({
      name: 'test.readAfterWrite',
      input: z.object({}),
      actors: ['system'],
      load: async () => ({}),
      authorize: () => true,
      async run(tx) {
        tx.delete(refs.tag('vip'));
        await tx.get(refs.tag('novo'));
      },
    });
    await expect(executeCommand(new Map([['test.readAfterWrite', bad]]), w.deps, { kind: 'system' }, 'test.readAfterWrite', {})).rejects.toThrow(/reads before its writes/);
    expect(w.dump()).toBe(before);
  });

  it('every registered command validates its input and names its actors', () => {
    expect(commandRegistry.size).toBeGreaterThan(10);
    for (const [name, c] of commandRegistry) {
      expect(c.name).toBe(name);
      expect(c.actors.length, name).toBeGreaterThan(0);
      expect(c.input.safeParse(Symbol('garbage')).success, name).toBe(false);
    }
  });
});
