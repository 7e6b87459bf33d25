import type { Message, Ticket } from '../model/index.ts';
import type { TemplateVars } from '../quickReplies.ts';

/** What the copilot is asked (a ticket and its thread) and what it answers (replies, actions, mood). */

export type ReplySource =
  | { kind: 'quickReply'; quickReplyId: string; shortcut: string }
  | { kind: 'answer'; agentName: string; at: number; ticketId: string };

export interface ReplySuggestion {
  /** Ready to put in the composer: variables filled. */
  text: string;
  /** As learnt, with `{{…}}` variables. */
  template: string;
  source: ReplySource;
  score: number;
}

export type ActionSuggestion =
  | { kind: 'transfer'; sectorId: string; confidence: number }
  | { kind: 'classify'; classificationId: string; confidence: number }
  | { kind: 'tags'; tagIds: string[]; confidence: number }
  | { kind: 'close'; classificationId: string | null; confidence: number };

export interface SuggestInput {
  ticket: Pick<Ticket, 'id' | 'sectorId' | 'tagIds' | 'classificationId' | 'protocol' | 'contact'>;
  /** The thread, oldest first (the last 200 are plenty). */
  messages: readonly Pick<Message, 'direction' | 'text' | 'automated' | 'authorName' | 'createdAt'>[];
  vars: TemplateVars;
  limit?: number;
}

export interface Suggestions {
  replies: ReplySuggestion[];
  actions: ActionSuggestion[];
  sentiment: number | null;
  /** The sector and classification the words point to, with calibrated confidence (also when no action follows). */
  predictions: { sector: { id: string; confidence: number } | null; classification: { id: string; confidence: number } | null };
}
