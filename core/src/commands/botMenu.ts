import type { Channel } from '../model/index.ts';

/** The channel bot's menu: how it reads, and which option a customer's answer picks. */

export const isMenuChoice = (channel: Channel, text: string) => {
  const answer = text.trim().toLowerCase();
  return channel.bot.menu.find((o) => o.key.toLowerCase() === answer || o.label.toLowerCase() === answer) ?? null;
};

/** The bot menu as choices, for channels that show buttons or lists (WhatsApp). */
export const menuOf = (channel: Channel) => channel.bot.menu.map((o) => ({ key: o.key, label: o.label }));

export const menuText = (channel: Channel): string =>
  [channel.bot.greeting, ...channel.bot.menu.map((o) => `${o.key} - ${o.label}`)].filter(Boolean).join('\n');
