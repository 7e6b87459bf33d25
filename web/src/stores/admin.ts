import type { CommandInput, CommandResult, Settings } from '@atende/core';
import { defineStore } from 'pinia';
import { backend } from '@/backend';

/** The configuration collections edited whole from Administração, by their command noun. */
export type CatalogueNoun = 'quickReply' | 'tag' | 'classification' | 'sector' | 'channel' | 'pauseReason';

/** The document `${noun}.save` answers with. */
type SavedDoc<N extends CatalogueNoun> = CommandResult<`${N}.save`> extends Record<N, infer D> ? D : never;

export type SettingsPatch = Partial<Omit<Settings, 'id' | 'updatedAt'>>;

/**
 * Writes of the Administração screens. Reads come live from the catalog
 * store; these only run commands, so the server's policy is the one that counts.
 */
export const useAdminStore = defineStore('admin', () => {
  const save = <N extends CatalogueNoun>(noun: N, input: CommandInput<`${N}.save`>) =>
    backend()
      .run(`${noun}.save`, input)
      .then((r) => (r as Record<N, SavedDoc<N>>)[noun]);

  const remove = (noun: CatalogueNoun, id: string) => backend().run(`${noun}.delete`, { id });
  /** A sector's open tickets go to `moveTo` (the server refuses, saying why, while they have nowhere to go). */
  const removeSector = (id: string, moveTo: string | null) => backend().run('sector.delete', moveTo ? { id, moveTo } : { id });

  const saveUser = (input: CommandInput<'user.save'>) => backend().run('user.save', input).then((r) => r.user);

  /** Whether passwords are set from here (the embedded server) or elsewhere (Firebase Auth). */
  const canSetPasswords = () => typeof backend().setPassword === 'function';
  const setPassword = (uid: string, password: string) => backend().setPassword!(uid, password);

  const updateSettings = (patch: SettingsPatch) => backend().run('settings.update', patch).then((r) => r.settings);
  /** Softphone: a user's SIP extension and (write-only) password. */
  const setSip = (input: CommandInput<'user.setSip'>) => backend().run('user.setSip', input).then((r) => r.sip);

  /** Whether quick replies can carry files on this backend. */
  const canAttachToQuickReplies = () => typeof backend().uploadQuickReplyFile === 'function';
  const uploadQuickReplyFile = (file: File) => backend().uploadQuickReplyFile!(file);
  const quickReplyFileUrl = (attachmentId: string) => backend().quickReplyFileUrl?.(attachmentId) ?? '';

  return { save, remove, removeSector, saveUser, canSetPasswords, setPassword, updateSettings, setSip, canAttachToQuickReplies, uploadQuickReplyFile, quickReplyFileUrl };
});
