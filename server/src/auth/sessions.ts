import { refs, takesRightsAway, type Change, type StaffActor, type User } from '@atende/core';
import type { SqliteStore } from '../db/store.ts';
import { hashToken, newToken } from '../lib/secrets.ts';
import type { AuthStatements } from './statements.ts';

export const SESSION_TTL_MS = 14 * 24 * 60 * 60 * 1000;
/** How stale lastSeenAt may get before a request refreshes it (and slides the expiry). */
const TOUCH_EVERY_MS = 60 * 1000;

export const actorOf = (user: User): StaffActor => ({
  kind: 'staff',
  uid: user.id,
  name: user.name,
  role: user.role,
  sectorIds: user.sectorIds,
  seesAllHistory: user.seesAllHistory,
});

/** Core's rule (`takesRightsAway`): such sessions end for good; every request builds the actor from the current user anyway. */
export const endsSessions = (before: User, after: User | null): boolean => takesRightsAway(before, after);

/** Staff sessions: random bearer tokens in an HttpOnly cookie; the database keeps only their SHA-256. */
export const createSessions = (q: AuthStatements, store: SqliteStore, clock: () => number) => {
  const endListeners: ((hash: string) => void)[] = [];
  const sessions = {
    create(uid: string): string {
      const now = clock();
      const { token, hash } = newToken();
      q.insertSession.run(hash, uid, now, now + SESSION_TTL_MS, now);
      return token;
    },
    end(tokenHash: string) {
      q.deleteSession.run(tokenHash);
      for (const l of endListeners) l(tokenHash);
    },
    endAllOf(uid: string, exceptHash: string | null = null) {
      for (const { token_hash } of q.sessionsOf.all(uid)) if (token_hash !== exceptHash) sessions.end(token_hash);
    },
    /** The session's user if it is valid and the user active; slides its expiry as a request does. */
    userOf(tokenHash: string): User | null {
      const session = q.session.get(tokenHash);
      const now = clock();
      if (!session) return null;
      if (session.expires_at <= now) {
        q.deleteSession.run(tokenHash);
        return null;
      }
      const user = store.get(refs.user(session.uid));
      if (!user || !user.active) return null;
      if (now - session.last_seen_at > TOUCH_EVERY_MS) q.touch.run(now, now + SESSION_TTL_MS, tokenHash);
      return user;
    },
    resolve(token: string | undefined): { actor: StaffActor; user: User; hash: string } | null {
      if (!token || token.length > 200) return null;
      const hash = hashToken(token);
      const user = sessions.userOf(hash);
      return user ? { actor: actorOf(user), user, hash } : null;
    },
    onEnd(listener: (tokenHash: string) => void) {
      endListeners.push(listener);
    },
    /** Ends the sessions a committed user change took rights from. */
    onCommit(changes: readonly Change[]) {
      for (const change of changes) {
        if (change.ref.collection !== 'users' || !change.before) continue;
        if (endsSessions(change.before as User, change.after as User | null)) sessions.endAllOf(change.ref.id);
      }
    },
    sweep: () => q.deleteExpired.run(clock()),
  };
  return sessions;
};

export type Sessions = ReturnType<typeof createSessions>;
