import type { Database } from 'better-sqlite3';
import type { Actor, Clock, DemoLogin, IdGenerator, RunnerDeps, StaffActor } from '@atende/core';
import type { SqliteStore } from './db/store.ts';
import type { Auth } from './plugins/auth.ts';
import type { Hub } from './live/hub.ts';
import type { OutboxDispatcher } from './plugins/outbox.ts';
import type { Scheduler } from './plugins/scheduler.ts';
import type { PresenceTracker } from './plugins/presence.ts';

export interface AppConfig {
  dataDir: string;
  filesDir: string;
  /** The built SPA (`web/dist`). */
  webDist: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    config: AppConfig;
    db: Database;
    store: SqliteStore;
    clock: Clock;
    newId: IdGenerator;
    deps: RunnerDeps;
    auth: Auth;
    hub: Hub;
    outbox: OutboxDispatcher;
    scheduler: Scheduler;
    presence: PresenceTracker;
    /** The logins the demo seed created on this run; null when the data dir already existed. */
    demoLogins: DemoLogin[] | null;
  }
  interface FastifyRequest {
    /** Set by the auth hook for staff routes. */
    staff: StaffActor | null;
    sessionHash: string | null;
    /** Set by the widget hook: the customer behind the bearer token. */
    customer: CustomerSession | null;
  }
}

export interface CustomerSession {
  actor: Extract<Actor, { kind: 'customer' }>;
  visitorId: string;
  tokenHash: string;
}
