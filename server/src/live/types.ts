import type { WebSocket } from 'ws';
import type { Actor, AnyDoc, Target } from '@atende/core';

/**
 * One distinct target (same query spec or document, same projection) and its
 * current result, shared by every subscription to it.
 */
export interface Evaluation {
  key: string;
  /** What its subscribers are shown of each document (a customer sees a projection of their tickets). */
  project: ((doc: AnyDoc) => Record<string, unknown>) | null;
  target: Target;
  docs: AnyDoc[];
  /**
   * What a joining subscriber's snapshot shows (its documents as JSON), kept
   * from the first joiner until a commit changes the documents, when not
   * larger than LIVE_SHOWN_KEPT_CHARS: 500 consoles joining one thread
   * serialise it once, not 500 times.
   */
  shown: string | null;
  subs: Set<Subscription>;
}

export const LIVE_SHOWN_KEPT_CHARS = 1_000_000;

export interface Subscription {
  id: string;
  client: Client;
  evaluation: Evaluation;
  /** Set when what the subscription shows depends on being allowed to read this ticket. */
  guardTicketId: string | null;
}

/** One socket and everything the hub keeps for it; each collection is bounded by LIMITS.live. */
export interface Client {
  ws: WebSocket;
  actor: Actor;
  sessionHash: string | null;
  subs: Map<string, Subscription>;
  /** Answered the last ping (or sent anything) since the heartbeat's previous visit. */
  alive: boolean;
  /** Which slice of the heartbeat period visits this socket (heartbeat.ts). */
  heartbeatSlice: number;
  /**
   * Subscriptions waiting for their authorisation, each with a token: a newer
   * subscribe or an unsubscribe of the id replaces or drops it, so a slow
   * authorisation cannot land after a newer request. Only ids in flight are
   * kept (at most LIMITS.live.maxPending): an unsubscribe of an unknown id
   * leaves nothing behind.
   */
  pending: Map<string, object>;
  /** Who the socket belongs to (a staff or widget session): bounds the sockets per session. */
  owner: string | null;
  /** Frames received in the current one-second window, and when it began. */
  frames: number;
  frameWindowAt: number;
  /** No WebSocket extension was negotiated: a frame built once may be written to the socket as it is. */
  plainFrames: boolean;
  /** Set while the socket is not read, having sent too many frames this second. */
  resumeTimer: ReturnType<typeof setTimeout> | null;
}
