import type { CopilotAction, CopilotInputs, CopilotResults } from '@atende/core/copilot';
import type { Attachment, CommandInput, CommandName, CommandResult, DocChange, FieldIssue, MalformedDocument, QueryDoc, QueryName, QueryParams, User } from '@atende/core';

/**
 * The one door to data. Stores call it; components never do. `local` talks
 * to the embedded server (fetch + one WebSocket); `firebase` to Firebase
 * Auth, Firestore listeners and the `command` callable. Picked at build time.
 */
export interface Backend {
  readonly kind: 'local' | 'firebase';

  /** The signed-in user after a reload, or null. */
  restore(): Promise<User | null>;
  signIn(email: string, password: string): Promise<User>;
  /** Ends every listener, then the session. */
  signOut(): Promise<void>;

  /** Runs a core command; rejects with BackendError. Typed by core's registry: a wrong field fails typecheck. */
  run<N extends CommandName>(command: N, input: CommandInput<N>): Promise<CommandResult<N>>;

  /**
   * Subscribes to a catalogue query. The listener gets a `snapshot` first,
   * then `changes`; after a reconnect, a fresh `snapshot` (so nothing is
   * missed). An `error` ends the subscription.
   */
  subscribe<Q extends QueryName>(query: Q, params: QueryParams<Q>, listener: (event: LiveEvent<QueryDoc<Q>>) => void): () => void;

  /**
   * The configuration's versions, one number per collection (`sectors`,
   * `tags`, `settings`, …), for a backend where every change a listener hears
   * is billed (Firebase: the `meta/config` document the functions bump with
   * each edit). The console then loads each catalogue once and again when its
   * version moves (web/src/live/catalogues.ts). Absent: catalogues are
   * followed live (the embedded server's socket sends only changes, at no cost).
   * `failed`: the versions cannot be read (say, rules deployed before them).
   */
  watchVersions?(listener: (versions: Readonly<Record<string, number>>) => void, failed?: () => void): () => void;
  /**
   * A catalogue query read once (with `watchVersions`: how a catalogue is loaded again when its version moves).
   * `malformed`: told which documents the answer leaves out because they are malformed (see `LiveEvent`).
   */
  load?<Q extends QueryName>(query: Q, params: QueryParams<Q>, malformed?: (reports: MalformedDocument[]) => void): Promise<QueryDoc<Q>[]>;

  uploadFile(file: File, ticketId: string, onProgress?: (fraction: number) => void): Promise<Attachment>;
  fileUrl(ticketId: string, attachmentId: string): string;

  /**
   * Quick replies' files (B5): a supervisor uploads one for a quick reply;
   * picking the reply copies it into the ticket, where it is sent like any
   * file. Optional: a backend without them hides the feature.
   */
  uploadQuickReplyFile?(file: File): Promise<Attachment>;
  quickReplyFileUrl?(attachmentId: string): string;
  copyQuickReplyFile?(ticketId: string, quickReplyId: string, attachmentId: string): Promise<Attachment>;

  /**
   * An admin sets another user's password (a new user's first one): the
   * embedded server keeps it itself; on Firebase the `user.setPassword`
   * call sets it in Firebase Auth (Admin SDK).
   */
  setPassword?(uid: string, password: string): Promise<void>;

  /**
   * The AI copilot (issue 12): suggest, summarize, rewrite, translate,
   * status. Embedded: `POST /api/copilot/:action`; Firebase: the `copilot`
   * callable. With `onDelta`, a provider's text streams in as it is written
   * (SSE / callable stream); the promise still settles with the whole result.
   */
  copilot<A extends CopilotAction>(action: A, input: CopilotInputs[A], onDelta?: (text: string) => void): Promise<CopilotResults[A]>;

  /** Connection state for the "reconnecting…" banner. */
  onConnection(listener: (connected: boolean) => void): () => void;
}

/**
 * `malformed`: documents the backend left out because they do not fit core's schema (issue 15, H2: an admin
 * broke one by hand in the Firebase console; core/src/store/validated.ts). In a `snapshot`, every one of the
 * results; in `changes`, the ones among them (each also arrives as `removed`, so an earlier good copy goes).
 */
export type LiveEvent<T> =
  | { type: 'snapshot'; docs: T[]; malformed?: MalformedDocument[] }
  | { type: 'changes'; changes: DocChange<T>[]; malformed?: MalformedDocument[] }
  | { type: 'error'; error: BackendError };

export class BackendError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly issues: FieldIssue[] = [],
    readonly status = 0,
    /** The stable code to translate (core/src/errors/texts.ts) and its parameters, when the server sent them. */
    readonly reason: string | null = null,
    readonly params: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'BackendError';
  }
}
