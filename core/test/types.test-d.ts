/**
 * Type-level tests of the typed boundary, checked by `npm run typecheck`
 * (tsc -p core), not run by Vitest. Each `@ts-expect-error` line must fail to
 * compile: if it ever compiles (a field renamed, a name widened to `string`),
 * tsc reports the unused directive and typecheck fails.
 */
import type { CommandInput, CommandName, CommandResult, QueryDoc, QueryName, QueryParams, Ticket, User } from '../src/index.ts';

const expectType = <T>(_value: T): void => undefined;

// Names are the registry's and the catalogue's, not any string.
expectType<CommandName>('ticket.accept');
expectType<CommandName>('channel.save');
// @ts-expect-error not a command
expectType<CommandName>('ticket.acept');
expectType<QueryName>('tickets.waiting');
expectType<QueryName>('users.all');
// @ts-expect-error not a live query
expectType<QueryName>('tickets.everything');

// Inputs follow the schemas: a renamed or missing field fails.
expectType<CommandInput<'ticket.accept'>>({ ticketId: 't1' });
// @ts-expect-error `ticketId`, not `id`
expectType<CommandInput<'ticket.accept'>>({ id: 't1' });
expectType<CommandInput<'ticket.transfer'>>({ ticketId: 't1', sectorId: 's1' });
// @ts-expect-error text must be a string
expectType<CommandInput<'message.send'>>({ ticketId: 't1', text: 1 });
expectType<CommandInput<'tag.save'>>({ name: 'VIP', color: '#fff' });

// Results are the commands' own.
declare const accepted: CommandResult<'ticket.accept'>;
expectType<Ticket>(accepted.ticket);
declare const savedUser: CommandResult<'user.save'>;
expectType<string>(savedUser.user.email);
// @ts-expect-error the result has no `tickets`
expectType<unknown>(accepted.tickets);

// Query parameters and documents.
expectType<QueryParams<'ticket'>>({ id: 't1' });
// @ts-expect-error `id`, not `ticketId`
expectType<QueryParams<'ticket'>>({ ticketId: 't1' });
expectType<QueryParams<'tickets.waiting'>>({ sectorIds: ['s1'], limit: 10 });
declare const waiting: QueryDoc<'tickets.waiting'>;
expectType<Ticket>(waiting);
declare const user: QueryDoc<'users.all'>;
expectType<User>(user);
// @ts-expect-error users are not tickets
expectType<Ticket>(user);
