import { sendMessage } from './send.ts';
import { receiveInbound } from './inbound.ts';

export { quoteOf, sendMessage } from './send.ts';
export { receiveInbound } from './inbound.ts';
export { menuText } from './botMenu.ts';

export const messageCommands = [sendMessage, receiveInbound];
