import { ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { useAdminStore, type SettingsPatch } from '@/stores/admin';
import { useToastStore } from '@/stores/toasts';
import { useFieldErrors } from './fieldErrors';

/**
 * A form over part of the workspace settings (Administração's settings pages): its field errors,
 * `busy` while a save goes, a toast when it is saved, the server's reasons by their fields when not.
 */
export function useSettingsForm() {
  const { t } = useI18n();
  const admin = useAdminStore();
  const toasts = useToastStore();
  const fields = useFieldErrors();
  const busy = ref(false);

  /** Saves `patch`; `savedKey` is the toast's i18n key. */
  async function save(patch: SettingsPatch, savedKey = 'admin.saved'): Promise<void> {
    busy.value = true;
    try {
      await admin.updateSettings(patch);
      toasts.push(t(savedKey), 'success', 3000);
    } catch (e) {
      fields.fromError(e);
    } finally {
      busy.value = false;
    }
  }

  return { ...fields, busy, save };
}
