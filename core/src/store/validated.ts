import type { z } from 'zod';
import { CommandError, type FieldIssue } from '../errors.ts';
import { Channel, Classification, MessageTemplateSchema, PauseReason, QuickReply, Sector, Settings, Tag, User, type CollectionName } from '../model/index.ts';
import type { Doc, DocRef, QuerySpec, Tx } from './types.ts';
import { overriding } from './overriding.ts';

/**
 * Documents validated on read (issue 15, H2). On Firebase an admin can edit
 * a document by hand in the console; one bad edit (a deleted
 * `settings.autoClose`, a string where a number was) must not make every
 * command and the automation tick throw. The configuration documents are
 * parsed with their core schema when a transaction reads them: a malformed
 * one becomes a `failed-precondition` naming the document and the field,
 * which the command that needed it answers instead of crashing, and
 * `onMalformed` gets it once per read (the stores log it).
 *
 * `schemaVersion`: a document may carry the version of the model it was
 * written with (none = 1). An older one is upgraded on read, step by step,
 * by `UPGRADES[collection][from]`, so old documents keep working when the
 * model grows; one newer than this code is refused with a clear message.
 */
export const SCHEMA_VERSION = 1;

type Raw = Record<string, unknown>;
export type Upgrade = (doc: Raw) => Raw;

/**
 * The collections an admin edits (configuration, the team), and their schemas: every document the Firebase
 * console lets an admin fix by hand that commands, the tick or the webhooks then read (settings holds business
 * hours, automation, presence, the copilot's and the softphone's settings).
 */
export const VALIDATED: Partial<Record<CollectionName, z.ZodType>> = {
  settings: Settings,
  channels: Channel,
  sectors: Sector,
  users: User,
  quickReplies: QuickReply,
  tags: Tag,
  classifications: Classification,
  pauseReasons: PauseReason,
  templates: MessageTemplateSchema,
};

/**
 * A query over the team (`users`) leaves out a person's document that is malformed (reported like any other) instead
 * of refusing: routing asks whether anyone of a sector is online, the presence sweep lists who is, and one person's
 * broken document must not stop every customer's message or everyone's presence. Read by id (the person's own
 * commands, an admin editing them) it is still refused, naming the document and the field.
 */
export const LEFT_OUT_OF_QUERIES: ReadonlySet<CollectionName> = new Set(['users']);

/** One document of a query's results as `check` reads it: refused when malformed, or left out (`[]`) in `LEFT_OUT_OF_QUERIES`. */
export const checkedInQuery = <T>(collection: CollectionName, check: () => T): T[] => {
  if (!LEFT_OUT_OF_QUERIES.has(collection)) return [check()];
  try {
    return [check()];
  } catch (e) {
    if (e instanceof CommandError) return [];
    throw e;
  }
};

/** `UPGRADES[collection][n]` turns a version-n document into version n+1. Add one whenever a model change needs it. */
export const UPGRADES: Partial<Record<CollectionName, Record<number, Upgrade>>> = {};

export interface MalformedDocument {
  path: string;
  message: string;
  issues: FieldIssue[];
}

/** A value's type as the Firebase console names it (its type picker: string, number, boolean, map, array, null, timestamp). */
const consoleType = (value: unknown): string =>
  value === undefined ? 'nada' : value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value === 'object' ? 'map' : typeof value === 'bigint' ? 'number' : typeof value;
const EXPECTED: Record<string, string> = { string: 'string', number: 'number', int: 'number (inteiro)', boolean: 'boolean', object: 'map', array: 'array', null: 'null', date: 'timestamp' };

/**
 * What is wrong with one field, in Portuguese and in the console's own words (issue 15: the admin reads it in the
 * SPA and in the log). Schema-level messages (say, "must be a date like 2026-12-25") keep their own text.
 */
const ptBR = (issue: z.core.$ZodRawIssue): string | undefined => {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined
        ? `campo ausente (deve ser ${EXPECTED[issue.expected] ?? issue.expected})`
        : `deve ser ${EXPECTED[issue.expected] ?? issue.expected}, e é ${consoleType(issue.input)}`;
    case 'invalid_value':
      return `deve ser um destes valores: ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'too_small':
      return issue.origin === 'string'
        ? `deve ter pelo menos ${String(issue.minimum)} caractere(s)`
        : issue.origin === 'array'
          ? `deve ter pelo menos ${String(issue.minimum)} item(ns)`
          : `deve ser no mínimo ${String(issue.minimum)}`;
    case 'too_big':
      return issue.origin === 'string'
        ? `deve ter no máximo ${String(issue.maximum)} caracteres`
        : issue.origin === 'array'
          ? `deve ter no máximo ${String(issue.maximum)} itens`
          : `deve ser no máximo ${String(issue.maximum)}`;
    case 'invalid_format':
      return `formato inválido (${issue.format})`;
    case 'not_multiple_of':
      return `deve ser múltiplo de ${String(issue.divisor)}`;
    case 'unrecognized_keys':
      return `campos desconhecidos: ${issue.keys.join(', ')}`;
    default:
      return 'valor inválido';
  }
};

/** What the admin reads (pt-BR): the document and each wrong field (`issues`' paths inside the document). The SPA's notice shows it as is. */
export const malformedText = (path: string, issues: readonly FieldIssue[]) =>
  `O documento ${path} está malformado (${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}); corrija-o no console do Firebase.`;

const describe = (path: string, issues: FieldIssue[]) => `${malformedText(path, issues)} (The document ${path} is malformed; fix it in the Firebase console.)`;

/**
 * Documents of a validated collection as a reader that must not stop at one bad document sees them (the console on
 * Firebase, which loads the catalogues straight from Firestore): the good ones parsed, the malformed ones left out
 * and reported, each with `malformedText` as its message and its issues' paths inside the document.
 */
export const sortValidated = <T>(collection: string, raws: readonly T[]): { docs: T[]; malformed: MalformedDocument[] } => {
  const docs: T[] = [];
  const malformed: MalformedDocument[] = [];
  for (const raw of raws) {
    try {
      docs.push(readValidated(collection as CollectionName, raw as never) as T);
    } catch (e) {
      if (!(e instanceof CommandError)) throw e;
      const id = (raw as { id?: unknown }).id;
      const path = `${collection}/${typeof id === 'string' ? id : '?'}`;
      const issues = e.issues.map((i) => ({ path: i.path.startsWith(`${path}.`) ? i.path.slice(path.length + 1) : i.path, message: i.message }));
      malformed.push({ path, message: malformedText(path, issues), issues });
    }
  }
  return { docs, malformed };
};

/** Upgrades and parses one document of a validated collection; throws CommandError('failed-precondition') when it cannot be used. */
export const readValidated = <C extends CollectionName>(collection: C, raw: Doc<C>, upgrades: typeof UPGRADES = UPGRADES): Doc<C> => {
  const schema = VALIDATED[collection];
  if (!schema) return raw;
  let doc = raw as unknown as Raw;
  const id = typeof doc.id === 'string' ? doc.id : '?';
  const path = `${collection}/${id}`;
  let version = typeof doc.schemaVersion === 'number' ? doc.schemaVersion : 1;
  if (version > SCHEMA_VERSION)
    throw new CommandError('failed-precondition', describe(path, [{ path: 'schemaVersion', message: `version ${version} is newer than this server's (${SCHEMA_VERSION})` }]), [
      { path: `${path}.schemaVersion`, message: 'written by a newer version' },
    ]);
  while (version < SCHEMA_VERSION) {
    const step = upgrades[collection]?.[version];
    if (step) doc = step(doc);
    version++;
  }
  const { schemaVersion: _version, ...fields } = doc;
  const parsed = schema.safeParse(fields, { error: ptBR });
  if (parsed.success) return parsed.data as Doc<C>;
  const issues = parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(document)', message: i.message }));
  throw new CommandError('failed-precondition', describe(path, issues), issues.map((i) => ({ path: `${path}.${i.path}`, message: i.message })));
};

/** A transaction whose reads of configuration documents are validated (see above). */
export const validatingTx = (tx: Tx, onMalformed?: (report: MalformedDocument) => void): Tx => {
  const check = <C extends CollectionName>(collection: C, doc: Doc<C>): Doc<C> => {
    try {
      return readValidated(collection, doc);
    } catch (e) {
      if (e instanceof CommandError) onMalformed?.({ path: `${collection}/${(doc as { id?: string }).id ?? '?'}`, message: e.message, issues: e.issues });
      throw e;
    }
  };
  const get = async <C extends CollectionName>(ref: DocRef<C>) => {
    const doc = await tx.get(ref);
    return doc === null ? null : check(ref.collection, doc);
  };
  const query = async <C extends CollectionName>(spec: QuerySpec<C>) => (await tx.query(spec)).flatMap((d) => checkedInQuery(spec.collection, () => check(spec.collection, d)));
  // Every other method (writes, counters, whatever the port grows) goes to the transaction itself.
  return overriding(tx, { get, query } as Partial<Tx>);
};
