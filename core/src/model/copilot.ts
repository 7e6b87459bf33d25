import { z } from 'zod';
import { Millis } from './primitives.ts';

/** F1–F4: which copilot features the workspace uses, and what may go to an AI provider. */
export const CopilotSettings = z.object({
  /** F1: suggested replies. */
  suggestions: z.boolean(),
  /** F2: suggested transfer, classification, tags and close. */
  actions: z.boolean(),
  /** F3: summaries on demand and on transfer. */
  summary: z.boolean(),
  /** Sentiment of the customer's last messages on the ticket card. */
  sentiment: z.boolean(),
  /** With a provider: rewrite the agent's draft. */
  rewrite: z.boolean(),
  /** With a provider: translate the customer's messages and the agent's replies. */
  translate: z.boolean(),
  /** With a provider: generated replies and summaries (else only the offline engine's). */
  generate: z.boolean(),
  /** Whether the contact's earlier tickets may be sent to the provider. */
  sendHistory: z.boolean(),
});
export type CopilotSettings = z.infer<typeof CopilotSettings>;

export const defaultCopilotSettings = (): CopilotSettings => ({
  suggestions: true,
  actions: true,
  summary: true,
  sentiment: true,
  rewrite: true,
  translate: true,
  generate: true,
  sendHistory: false,
});

const Pair = z.object({
  question: z.string().max(4000),
  answer: z.string().max(4000),
  agentName: z.string().max(120),
  at: Millis,
  quickReplyId: z.string().nullable(),
  opening: z.boolean(),
});

/** `copilotExamples/{ticketId}`: what the copilot learnt from a closed ticket (written after it closes). */
export const CopilotExample = z.object({
  id: z.string().min(1).max(128),
  sectorId: z.string().nullable(),
  classificationId: z.string().nullable(),
  tagIds: z.array(z.string()).max(20),
  customerText: z.string().max(4000),
  customerSilent: z.boolean(),
  pairs: z.array(Pair).max(12),
  closedAt: Millis,
});
export type CopilotExample = z.infer<typeof CopilotExample>;
