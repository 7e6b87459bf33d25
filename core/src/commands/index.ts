import type { z } from 'zod';
import { automationCommands } from '../automation/tick.ts';
import { adminCommands } from './admin.ts';
import { channelCommands } from './channels.ts';
import { outboundCommands } from './outbound.ts';
import { startConversation } from './start.ts';
import { messageCommands } from './messages.ts';
import type { AnyCommand } from './runtime.ts';
import { ticketCommands } from './tickets.ts';
import { presenceCommands } from '../presence/commands.ts';
import { phoneCommands } from '../phone/commands.ts';

/**
 * Every command, as a typed constant: the types below are derived from it,
 * so a client's call is checked against the command's own input schema.
 * Keep the lists un-annotated (no `AnyCommand[]`): an annotation would widen
 * every name to `string` (core/test/types.test-d.ts fails if that happens).
 */
export const commands = [...ticketCommands, ...messageCommands, ...adminCommands, ...automationCommands, ...channelCommands, ...outboundCommands, startConversation, ...presenceCommands, ...phoneCommands];
export const commandRegistry: ReadonlyMap<string, AnyCommand> = new Map(commands.map((c): [string, AnyCommand] => [c.name, c]));

/** One of the registry's commands. */
export type RegisteredCommand = (typeof commands)[number];
/** The name of every command a client may run: `'ticket.accept' | 'message.send' | …`. */
export type CommandName = RegisteredCommand['name'];
type CommandNamed<N extends CommandName> = Extract<RegisteredCommand, { name: N }>;
/** What a client sends to command N (before the schema's defaults and trimming). */
export type CommandInput<N extends CommandName> = z.input<CommandNamed<N>['input']>;
/** What command N answers (after the JSON round trip, on the wire). */
export type CommandResult<N extends CommandName> = Awaited<ReturnType<CommandNamed<N>['run']>>;
