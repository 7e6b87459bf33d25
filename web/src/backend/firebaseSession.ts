import type { Actor, User } from '@atende/core';
import type { FirebaseApp } from 'firebase/app';
// Types only: the SDK comes with ./firebaseData.ts, loaded by the driver (./firebase.ts).
import type { Firestore } from 'firebase/firestore';
import { createFirestoreRest } from '../widget/firestoreRest.ts';
import { backendErrorOf } from './firebaseErrors.ts';
import { startPresenceHeartbeat, type WriteBeat } from './firebasePresence.ts';
import { reportSessionLost } from './sessionLost.ts';
import { BackendError } from './types.ts';

/** The signed-in account as the driver needs it: its uid and custom claims. */
export interface AuthSession {
  uid: string;
  claims: Record<string, unknown>;
}

/** Firebase Auth, narrowed to what the driver uses (so tests can sign in without the Auth emulator). */
export interface AuthPort {
  /** The session restored after a reload, once Auth has decided; null when signed out. */
  current(): Promise<AuthSession | null>;
  signIn(email: string, password: string): Promise<AuthSession>;
  signOut(): Promise<void>;
  /** Forces a fresh ID token (new claims) and returns the session it carries. */
  refresh(): Promise<AuthSession | null>;
  /** The current ID token, for the REST read of the user's document at sign-in (absent: read through the SDK). */
  idToken?(): Promise<string | null>;
}

/** Firebase Auth (e-mail and password), loaded with the driver. */
export const firebaseAuthPort = async (app: FirebaseApp, options: { emulatorUrl?: string | undefined } = {}): Promise<AuthPort> => {
  const { getAuth, connectAuthEmulator, signInWithEmailAndPassword, signOut } = await import('firebase/auth');
  const auth = getAuth(app);
  if (options.emulatorUrl) connectAuthEmulator(auth, options.emulatorUrl, { disableWarnings: true });
  const sessionOf = async (force: boolean): Promise<AuthSession | null> => {
    const u = auth.currentUser;
    if (!u) return null;
    const token = await u.getIdTokenResult(force);
    return { uid: u.uid, claims: token.claims as Record<string, unknown> };
  };
  return {
    async current() {
      await auth.authStateReady();
      return sessionOf(false);
    },
    async signIn(email, password) {
      await signInWithEmailAndPassword(auth, email, password);
      return (await sessionOf(false))!;
    },
    signOut: () => signOut(auth),
    refresh: () => sessionOf(true),
    idToken: async () => (auth.currentUser ? auth.currentUser.getIdToken() : null),
  };
};

const actorOf = (session: AuthSession, user: User | null): Actor | null => {
  const customer = session.claims.customer as { contactId?: unknown; channelId?: unknown } | undefined;
  if (customer && typeof customer.contactId === 'string' && typeof customer.channelId === 'string')
    return { kind: 'customer', contactId: customer.contactId, channelId: customer.channelId };
  if (!user) return null;
  // The rules judge by the token's claims, so the client reasons with them too.
  const role = typeof session.claims.role === 'string' ? (session.claims.role as User['role']) : user.role;
  const sectorIds = Array.isArray(session.claims.sectorIds) ? (session.claims.sectorIds as string[]) : user.sectorIds;
  const seesAllHistory = typeof session.claims.seesAllHistory === 'boolean' ? session.claims.seesAllHistory : user.seesAllHistory;
  return { kind: 'staff', uid: user.id, name: user.name, role, sectorIds, seesAllHistory };
};

export interface SessionDeps {
  app: FirebaseApp;
  authPort: Promise<AuthPort>;
  data: Promise<typeof import('./firebaseData.ts')>;
  firestore: Promise<Firestore>;
  /** A Firestore handed in (tests, the bench): the user's document is read through it unless `firestoreUrl` is given. */
  handedDb: boolean;
  firestoreUrl: string | undefined;
  emulators: string | undefined;
  writeBeat: WriteBeat;
  call: (name: string, input: unknown) => Promise<unknown>;
  /** Told when the session starts (its user active) and ends. */
  onSignedIn: () => Promise<void>;
  /** The claims changed and the token was refreshed: the listeners follow the new rights. */
  onRightsChanged: () => void;
  onSignedOut: () => void;
}

/**
 * Who is signed in: the Auth session, the user's document, the actor the
 * catalogue and the rules judge, the presence heartbeat, and the watch of
 * `claims/{uid}` (written by the functions' users trigger when my claims
 * change): the token is refreshed, then the listeners follow the new rights.
 */
export const createFirebaseSession = (deps: SessionDeps) => {
  let session: AuthSession | null = null;
  let user: User | null = null;
  let actor: Actor | null = null;
  let stopClaimsWatch: (() => void) | null = null;
  let claimsWatches = 0;
  let stopHeartbeat: (() => void) | null = null;

  /**
   * The signed-in user's document. In the browser, over Firestore's REST API
   * with the ID token (a few hundred bytes of code), so the shell draws
   * before the Firestore SDK has arrived; through the SDK where the auth
   * port gives no token, or a Firestore was handed in without a REST URL.
   */
  const loadUser = async (s: AuthSession): Promise<User | null> => {
    if (s.claims.customer) return null;
    const port = await deps.authPort;
    if (port.idToken && (!deps.handedDb || deps.firestoreUrl !== undefined)) {
      const rest = createFirestoreRest({
        projectId: deps.app.options.projectId ?? '',
        baseUrl: deps.firestoreUrl ?? (deps.emulators ? `http://${deps.emulators}:8080` : undefined),
        idToken: () => port.idToken!(),
      });
      return (await rest.get(`users/${s.uid}`)) as User | null;
    }
    return ((await (await deps.data).readDoc(await deps.firestore, `users/${s.uid}`)) as User | null) ?? null;
  };

  const signedOut = () => {
    stopClaimsWatch?.();
    stopClaimsWatch = null;
    claimsWatches++;
    stopHeartbeat?.();
    stopHeartbeat = null;
    session = null;
    user = null;
    actor = null;
    deps.onSignedOut();
  };

  /** A claims change reached me: a fresh token, my document again, and the listeners whose target the new rights change. */
  const claimsChanged = async () => {
    const port = await deps.authPort;
    // Rights taken away revoke the session (claims/{uid}.revokedAt): the refresh is refused and every listener ends as signed out.
    const fresh = await port.refresh().catch(() => null);
    if (!fresh) {
      signedOut();
      return reportSessionLost();
    }
    if (fresh.uid !== session?.uid) return;
    session = fresh;
    user = await loadUser(fresh);
    actor = actorOf(fresh, user);
    deps.onRightsChanged();
  };

  const watchClaims = (uid: string) => {
    stopClaimsWatch?.();
    stopClaimsWatch = null;
    const watch = ++claimsWatches;
    let first = true;
    void Promise.all([deps.data, deps.firestore]).then(([m, db]) => {
      // Signed out (or in as someone else) while the SDK loaded.
      if (watch !== claimsWatches) return;
      stopClaimsWatch = m.watchDoc(
        db,
        `claims/${uid}`,
        (claims) => {
          const changedAt = Number(claims?.updatedAt ?? 0);
          const issuedAt = Number(session?.claims.iat ?? 0) * 1000;
          // The first answer only matters when the claims changed after my token was issued.
          const stale = first ? issuedAt > 0 && changedAt > issuedAt : true;
          first = false;
          if (stale) void claimsChanged().catch((e: unknown) => console.warn('[firebase] claims refresh failed', e));
        },
        () => undefined,
      );
    }, () => undefined);
  };

  const becomeSignedIn = async (s: AuthSession): Promise<User | null> => {
    session = s;
    user = await loadUser(s);
    actor = actorOf(s, user);
    watchClaims(s.uid);
    stopHeartbeat?.();
    stopHeartbeat = user?.active ? startPresenceHeartbeat(deps.writeBeat, s.uid, () => deps.call('presence.connect', {})) : null;
    if (user?.active) await deps.onSignedIn();
    return user;
  };

  return {
    actor: () => actor,
    signedIn: () => session !== null,

    async restore(): Promise<User | null> {
      const s = await (await deps.authPort).current();
      return s ? becomeSignedIn(s) : null;
    },

    async signIn(email: string, password: string): Promise<User> {
      const port = await deps.authPort;
      let s: AuthSession;
      try {
        s = await port.signIn(email, password);
      } catch (err) {
        const be = backendErrorOf(err);
        throw be.code === 'resource-exhausted' ? be : new BackendError('unauthenticated', 'E-mail ou senha incorretos', [], 401);
      }
      const u = await becomeSignedIn(s);
      if (!u || !u.active) {
        signedOut();
        await port.signOut();
        throw new BackendError('permission-denied', 'Esta conta não tem acesso ao Atende', [], 403);
      }
      return u;
    },

    async signOut(): Promise<void> {
      // Listeners first: once signed out, every open one would fail the rules.
      signedOut();
      await (await deps.authPort).signOut();
    },
  };
};
