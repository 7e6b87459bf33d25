import { CopilotIndex, learnFromClosedTicket, runCopilot, type CopilotDeps, type ProviderConfig } from '@atende/core/copilot';
import { z } from 'zod';
import { CommandError } from '@atende/core';
import { actorOf } from './actor.ts';
import { storeOf, type CallerAuth, type Deps } from './deps.ts';

/** One index per function instance: it reads only the examples newer than what it has (core's syncIndex). */
const indexes = new WeakMap<object, CopilotIndex>();

const CallInput = z.object({ action: z.string().min(1).max(20), input: z.unknown().optional() });

/**
 * The `copilot` callable: `{action, input}` → core's `runCopilot`, the same
 * code as `POST /api/copilot/:action`. `onDelta` streams provider text to
 * callers that asked for a stream.
 */
export const handleCopilot = async (deps: Deps, provider: ProviderConfig | null, auth: CallerAuth | undefined, data: unknown, onDelta?: (text: string) => void): Promise<unknown> => {
  const call = CallInput.safeParse(data);
  if (!call.success) throw new CommandError('invalid-argument', 'Chame o copiloto com {action, input}. (Call the copilot with {action, input}.)', [{ path: 'action', message: 'required' }]);
  const actor = await actorOf(deps, auth);
  let index = indexes.get(deps.db);
  if (!index) indexes.set(deps.db, (index = new CopilotIndex()));
  const copilot: CopilotDeps = { store: storeOf(deps.db), clock: deps.clock, index, provider };
  return runCopilot(copilot, actor, call.data.action, call.data.input ?? {}, onDelta);
};

/** What the callable's request and response give the copilot (firebase-functions v2 `onCall`), narrowed so tests drive it. */
export interface CopilotCall {
  auth?: { uid: string; token: unknown } | null;
  data: unknown;
  acceptsStreaming?: boolean;
}
export interface CopilotStream {
  sendChunk(chunk: { delta: string }): Promise<boolean> | boolean | void;
}

/**
 * The callable's carrier: a caller that streams (`httpsCallable(...).stream()`) gets each piece of provider text as a
 * `{delta}` chunk while it is written, then the whole result; anyone else gets the result only.
 */
export const copilotCallable = (deps: Deps, provider: ProviderConfig | null, request: CopilotCall, response?: CopilotStream): Promise<unknown> => {
  const auth = request.auth ? { uid: request.auth.uid, token: request.auth.token as Record<string, unknown> } : undefined;
  const stream = request.acceptsStreaming && response ? (text: string) => void response.sendChunk({ delta: text }) : undefined;
  return handleCopilot(deps, provider, auth, request.data, stream);
};

/** The Firestore trigger's work when a ticket is written: a ticket that just closed becomes a copilot example. */
export const handleTicketClosed = async (deps: Deps, ticketId: string, before: { status?: string } | null, after: { status?: string } | null): Promise<boolean> => {
  if (after?.status !== 'closed' || before?.status === 'closed') return false;
  return learnFromClosedTicket(storeOf(deps.db), ticketId);
};
