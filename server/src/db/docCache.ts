/**
 * The committed JSON text of recently read documents, by `docKey`: what every
 * inbound message reads again and again (its channel, the workspace settings,
 * the contact) comes from memory instead of SQLite. This process is the only
 * writer, and every write goes through the store, which tells the cache after
 * each COMMIT, so an entry is never stale.
 *
 * Only reads fill it: a write refreshes an entry already held, but a document
 * merely written (a new message, a receipt) is not taken in. Bounded: past
 * `max` entries the oldest go first.
 */
export class DocCache {
  private readonly texts = new Map<string, string>();

  constructor(private readonly max = 4096) {}

  get(key: string): string | undefined {
    return this.texts.get(key);
  }

  /** After a read from SQLite: a document found is kept (a missing one is not: most lookups of absent keys are never repeated). */
  filled(key: string, text: string | null): void {
    if (text === null) return;
    if (this.texts.size >= this.max) {
      const oldest = this.texts.keys().next().value;
      if (oldest !== undefined) this.texts.delete(oldest);
    }
    this.texts.set(key, text);
  }

  /** After a COMMIT that wrote the document. */
  written(key: string, text: string | null): void {
    if (!this.texts.has(key)) return;
    if (text === null) this.texts.delete(key);
    else this.texts.set(key, text);
  }

  get size(): number {
    return this.texts.size;
  }
}
