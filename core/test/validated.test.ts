import { describe, expect, it } from 'vitest';
import { CommandError, defaultSettings, readValidated, SCHEMA_VERSION, sortValidated, VALIDATED, type Settings } from '../src/index.ts';
import { T0 } from './support.ts';

describe('documents validated on read (core/src/store/validated.ts)', () => {
  const settings = defaultSettings(T0);

  it('passes a well-formed configuration document, and other collections untouched', () => {
    expect(readValidated('settings', settings)).toEqual(settings);
    const odd = { id: 't', anything: 1 } as never;
    expect(readValidated('tickets', odd)).toBe(odd);
  });

  it('names the document and the field of a bad edit', () => {
    const bad = { ...settings, autoClose: { ...settings.autoClose, afterMinutes: 'sessenta' } } as unknown as Settings;
    try {
      readValidated('settings', bad);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(CommandError);
      expect((e as CommandError).code).toBe('failed-precondition');
      expect((e as CommandError).message).toContain('settings/workspace');
      expect((e as CommandError).issues.map((i) => i.path)).toEqual(['settings/workspace.autoClose.afterMinutes']);
    }
  });

  it('sorts a collection for a reader that must not stop at one bad document (the console on Firebase): good ones parsed, bad ones named', () => {
    const good = { id: 'ola', shortcut: 'ola', text: 'Olá!', sectorIds: [], updatedAt: T0 };
    const { docs, malformed } = sortValidated('quickReplies', [good, { ...good, id: 'quebrada', shortcut: 42 }]);
    expect(docs).toEqual([{ ...good, attachments: [] }]);
    expect(malformed).toEqual([
      {
        path: 'quickReplies/quebrada',
        message: 'O documento quickReplies/quebrada está malformado (shortcut: deve ser string, e é number); corrija-o no console do Firebase.',
        issues: [{ path: 'shortcut', message: 'deve ser string, e é number' }],
      },
    ]);
  });

  it('covers every document an admin can edit by hand: configuration, the team, catalogues, templates', () => {
    // settings carries business hours, automation, presence, the copilot's and the softphone's settings.
    expect(Object.keys(VALIDATED).sort()).toEqual(['channels', 'classifications', 'pauseReasons', 'quickReplies', 'sectors', 'settings', 'tags', 'templates', 'users']);
  });

  it("says what is wrong in Portuguese, with the console's type names", () => {
    const say = (collection: Parameters<typeof readValidated>[0], doc: unknown) => {
      try {
        readValidated(collection, doc as never);
      } catch (e) {
        return (e as CommandError).message;
      }
      throw new Error('expected a refusal');
    };
    const { autoClose: _gone, ...withoutAutoClose } = settings;
    expect(say('settings', withoutAutoClose)).toContain('O documento settings/workspace está malformado (autoClose: campo ausente (deve ser map))');
    expect(say('settings', { ...settings, autoClose: { ...settings.autoClose, afterMinutes: 'sessenta' } })).toContain('autoClose.afterMinutes: deve ser number, e é string');
    expect(say('users', { id: 'ana', name: 'Ana', email: 'ana@x.com', role: 'chefe', sectorIds: [], presence: 'online', seesAllHistory: false, active: true, updatedAt: T0 })).toContain(
      'users/ana está malformado (role: deve ser um destes valores: "agent", "supervisor", "admin")',
    );
    expect(say('tags', { id: 'vip', name: '', color: '#000000', updatedAt: T0 })).toContain('tags/vip');
    expect(say('quickReplies', { id: 'ola', shortcut: 'ola', text: 42 })).toContain('quickReplies/ola');
  });

  it('upgrades an older document step by step before checking it', () => {
    // A version-0 settings document that named the field differently: the upgrade renames it.
    const { name, ...rest } = settings;
    const old = { ...rest, title: name, schemaVersion: SCHEMA_VERSION - 1 } as unknown as Settings;
    const upgrades = { settings: { [SCHEMA_VERSION - 1]: ({ title, ...d }: Record<string, unknown>) => ({ ...d, name: title }) } };
    expect(readValidated('settings', old, upgrades)).toEqual(settings);
    expect(() => readValidated('settings', old)).toThrow(/settings\/workspace/);
  });

  it('refuses a document written by a newer version', () => {
    expect(() => readValidated('settings', { ...settings, schemaVersion: SCHEMA_VERSION + 1 } as Settings)).toThrow(/newer/);
  });
});
