import type { z } from 'zod';
import { CommandError } from '../errors.ts';
import type { Actor, Decision, StaffActor } from '../policy.ts';
import type { Clock, IdGenerator, Store, Tx } from '../store/types.ts';
import { parseOrThrow } from '../validation.ts';

export interface CommandContext {
  actor: Actor;
  now: number;
  newId: IdGenerator;
}

/**
 * A named state change. `load` reads what the command needs, `authorize`
 * decides from the actor and those documents, `run` writes. `run` has no
 * side effect outside `tx` (Firestore may retry it); effects on the world
 * are recorded in the same transaction (a message's `delivery`, core/src/outbox/state.ts).
 */
export interface CommandDef<I, D, O, N extends string = string, In = I> {
  name: N;
  /** Validates and normalises the caller's input (`In`, what a client sends) into what `run` gets (`I`). */
  input: z.ZodType<I, In>;
  /** Which kinds of actor may call it at all. */
  actors: readonly Actor['kind'][];
  load(tx: Tx, input: I, ctx: CommandContext): Promise<D>;
  authorize(actor: Actor, docs: D, input: I): Decision;
  run(tx: Tx, docs: D, input: I, ctx: CommandContext): Promise<O> | O;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a registry holds commands of every input and output type
export type AnyCommand = CommandDef<any, any, any, string, any>;

/** Keeps the name, input and result types, so the registry (commands/index.ts) can type the clients' calls. */
export const defineCommand = <const N extends string, I, D, O, In = I>(def: CommandDef<I, D, O, N, In>): CommandDef<I, D, O, N, In> => def;

/** For commands only staff may run: narrows the actor for a policy check. */
export const staffOnly = (actor: Actor, check: (actor: StaffActor) => Decision): Decision =>
  actor.kind === 'staff' ? check(actor) : 'only staff may do this';

export const requireStaff = (ctx: CommandContext): StaffActor => {
  if (ctx.actor.kind !== 'staff') throw new CommandError('permission-denied', 'only staff may do this');
  return ctx.actor;
};

export const mustExist = <T>(doc: T | null, what: string): T => {
  if (doc === null) throw new CommandError('not-found', `${what} does not exist`);
  return doc;
};

export const precondition = (ok: boolean, message: string): void => {
  if (!ok) throw new CommandError('failed-precondition', message);
};

export interface RunnerDeps {
  store: Store;
  clock: Clock;
  newId: IdGenerator;
}

/** Validate → load → authorize → run, all inside one transaction. */
export const executeCommand = async (
  registry: ReadonlyMap<string, AnyCommand>,
  deps: RunnerDeps,
  actor: Actor,
  name: string,
  rawInput: unknown,
): Promise<unknown> => {
  const command = registry.get(name);
  if (!command) throw new CommandError('invalid-argument', `Unknown command "${name}"`, [{ path: 'command', message: 'unknown command' }]);
  if (!command.actors.includes(actor.kind)) throw new CommandError('permission-denied', `You may not run ${name}`);
  const input = parseOrThrow(command.input, rawInput ?? {});
  return deps.store.transaction(async (tx) => {
    const ctx: CommandContext = { actor, now: deps.clock(), newId: deps.newId };
    const docs = await command.load(tx, input, ctx);
    const decision = command.authorize(actor, docs, input);
    if (decision !== true) throw new CommandError('permission-denied', decision);
    return command.run(tx, docs, input, ctx);
  });
};
