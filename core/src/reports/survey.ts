import type { Channel, Ticket } from '../model/index.ts';
import type { Tx } from '../store/types.ts';
import { recordFact } from './aggregate.ts';
import { makeFact, type TrackEnv } from './track.ts';
import { SURVEY_CHOICES } from './surveyChoices.ts';

export { SURVEY_CHOICES };

/**
 * D8: the satisfaction survey. Sent after Finalizar (when the channel has it
 * on); the customer's answer — "5", "4 - demorou um pouco", a widget button,
 * a WhatsApp list reply — lands on the closed ticket, never opens a new one.
 * Anything else, or an answer after it expired, goes on to the bot/flow.
 */

/** A rating 1–5 at the start of a message, optionally followed by a comment. Null when the text is not an answer. */
export const parseRating = (text: string): { score: number; comment: string | null } | null => {
  // A choice picked from the list is a score, not a comment.
  const choice = SURVEY_CHOICES.find((c) => c.label === text.trim());
  if (choice) return { score: Number(choice.key), comment: null };
  const m = /^\s*([1-5])(?![\p{L}\p{N}])\s*(?:\/\s*5)?\s*(?:estrelas?|stars?)?\s*(?:[-–—:.,;)!]+\s*)?(.*)$/isu.exec(text);
  if (!m) return null;
  const comment = (m[2] ?? '').trim();
  return { score: Number(m[1]), comment: comment ? comment.slice(0, 1000) : null };
};

/** Whether a closed ticket still waits for its survey's answer at `now`. */
export const surveyOpen = (ticket: Ticket, now: number): boolean =>
  ticket.status === 'closed' && !!ticket.survey && ticket.survey.answeredAt === null && now <= ticket.survey.expiresAt;

/** Marks the survey as sent on the ticket being closed and records the fact. Returns the ticket with its survey. */
export const startSurvey = (tx: Tx, closing: Ticket, channel: Channel, agentId: string | null, env: TrackEnv): Ticket => {
  const minutes = channel.survey?.expiresMinutes ?? 60 * 24;
  const ticket: Ticket = {
    ...closing,
    survey: { sentAt: env.now, expiresAt: env.now + minutes * 60_000, score: null, comment: null, answeredAt: null, agentId },
  };
  recordFact(tx, makeFact(env, 'surveyed', ticket, { agentId }));
  return ticket;
};

/** The closed ticket with the answer on it, and the `rated` fact counted (credited to the agent who served). */
export const answerSurvey = (tx: Tx, ticket: Ticket, answer: { score: number; comment: string | null }, env: TrackEnv): Ticket => {
  const survey = ticket.survey!;
  const after: Ticket = { ...ticket, survey: { ...survey, score: answer.score, comment: answer.comment, answeredAt: env.now }, updatedAt: env.now };
  recordFact(tx, makeFact(env, 'rated', ticket, { agentId: survey.agentId, score: answer.score, classificationId: ticket.classificationId }));
  return after;
};
