/**
 * Every per-connection, per-session and per-sender limit of Atende, in one
 * place (SECURITY.md lists them). Both backends read them from here: the
 * embedded server's hub, auth and widget routes, and the Cloud Functions.
 * Every structure kept per socket, per session or per sender is bounded by
 * one of these numbers.
 */
const DEFAULTS = {
  live: {
    /** Live queries one socket may hold at once. */
    maxSubscriptions: 100,
    /** Subscriptions one socket may have waiting for their authorisation at once. */
    maxPending: 20,
    /** Longest subscription id, in characters. */
    maxIdLength: 100,
    /** Largest frame a client may send, in bytes (larger frames close the socket with 1009). */
    maxFrameBytes: 64 * 1024,
    /** Frames a socket is read at per second; beyond that it is not read until the second is over (the sender is slowed, nothing is lost). */
    maxFramesPerSecond: 500,
    /** Bytes queued to a socket before it counts as too slow and is closed (it reconnects for a fresh snapshot). */
    maxBufferedBytes: 32 * 1024 * 1024,
    /** How often sockets are pinged and their sessions re-checked. */
    heartbeatMs: 30_000,
    /** Sockets one staff session or widget session may hold open at once. */
    maxSocketsPerSession: 20,
  },
  login: {
    /** Failed logins for one e-mail before each further attempt must wait. */
    freeFailures: 5,
    /** The first wait after `freeFailures`; it doubles with each further failure… */
    baseDelayMs: 1_000,
    /** …up to this. A correct password after the wait signs in and clears the count. */
    maxDelayMs: 15 * 60 * 1000,
    /** Failures are forgotten after this long without a new one. */
    failureMemoryMs: 60 * 60 * 1000,
    /** Login attempts answered per e-mail per minute (the library's ceiling, on top of the delay). */
    perEmailPerMinute: 20,
    /** Login attempts answered per client address per minute (well above a team behind one proxy). */
    perAddressPerMinute: 300,
    /** Password hashes computed at once; further logins queue (a flood cannot starve the event loop). */
    concurrentHashes: 4,
    /** Wrong current passwords at the password-change route before each further attempt must wait (same backoff). */
    passwordChangeFreeFailures: 5,
  },
  widget: {
    /** New chat sessions per channel per minute (all visitors together). */
    sessionsPerChannelPerMinute: 600,
    /** New chat sessions per client address per minute. */
    sessionsPerAddressPerMinute: 60,
    /** Messages one chat session may send per minute. */
    messagesPerSessionPerMinute: 60,
    /** Messages all chat sessions of one channel may send per minute. */
    messagesPerChannelPerMinute: 30_000,
    /** Tickets one chat session may open per hour (a new one opens only after the last was closed). */
    ticketsPerSessionPerHour: 5,
    /** Uploads one chat session may stage per hour. */
    uploadsPerSessionPerHour: 30,
    /** Files one chat session may hold staged (uploaded, not yet sent) at once. */
    maxStagedFilesPerSession: 10,
    /** Bytes one chat session may hold staged at once. */
    maxStagedBytesPerSession: 50 * 1024 * 1024,
    /** Bytes all chat sessions together may hold staged at once. */
    maxStagedBytesTotal: 1024 * 1024 * 1024,
    /** A staged file not sent within this time is removed. */
    stagedTtlMs: 60 * 60 * 1000,
    /** Every widget request, all channels together, per second: the global ceiling. */
    requestsPerSecondTotal: 500,
    /** A chat session's lifetime. */
    sessionTtlMs: 180 * 24 * 60 * 60 * 1000,
    /** How long a signed file link works. */
    fileLinkTtlMs: 10 * 60 * 1000,
  },
  uploads: {
    /** Bytes read to tell a file's type (its magic bytes and, for zip/webm, the names and codecs in its head). */
    sniffBytes: 8 * 1024,
  },
};

export type Limits = typeof DEFAULTS;
type Overrides = { [G in keyof Limits]?: { [K in keyof Limits[G]]?: number } };

/** The limits in force: the defaults above, with any overrides from `configureLimits`. */
export const LIMITS: Limits = structuredClone(DEFAULTS);

/**
 * Overrides some limits for this process (the server reads `ATENDE_LIMITS`, a
 * JSON object such as `{"widget":{"messagesPerSessionPerMinute":120}}`). An
 * unknown group or name, or a value that is not a positive number, is refused.
 */
export const configureLimits = (overrides: unknown): void => {
  if (overrides === null || typeof overrides !== 'object') throw new Error('limits must be a JSON object like {"widget":{"messagesPerSessionPerMinute":120}}');
  for (const [group, values] of Object.entries(overrides as Overrides)) {
    const target = (LIMITS as Record<string, Record<string, number>>)[group];
    if (!target || values === null || typeof values !== 'object') throw new Error(`unknown limit group "${group}"`);
    for (const [name, value] of Object.entries(values)) {
      if (!(name in target)) throw new Error(`unknown limit "${group}.${name}"`);
      if (typeof value !== 'number' || !(value > 0)) throw new Error(`limit "${group}.${name}" must be a positive number`);
      target[name] = value;
    }
  }
};

/** Puts every limit back to its default (tests). */
export const resetLimits = (): void => {
  for (const [group, values] of Object.entries(structuredClone(DEFAULTS))) Object.assign((LIMITS as Record<string, object>)[group]!, values);
};
