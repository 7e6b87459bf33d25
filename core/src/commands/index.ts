import { automationCommands } from '../automation/tick.ts';
import { adminCommands } from './admin.ts';
import { messageCommands } from './messages.ts';
import type { AnyCommand } from './runtime.ts';
import { ticketCommands } from './tickets.ts';

export const commands: AnyCommand[] = [...ticketCommands, ...messageCommands, ...adminCommands, ...automationCommands];
export const commandRegistry: ReadonlyMap<string, AnyCommand> = new Map(commands.map((c) => [c.name, c]));
