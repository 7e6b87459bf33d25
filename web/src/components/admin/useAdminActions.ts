import { useI18n } from 'vue-i18n';
import { useAdminStore, type CatalogueNoun } from '@/stores/admin';
import { useToastStore } from '@/stores/toasts';
import { userMessage } from '@/i18n/errors';

/** Actions started from a table row, whose outcome is told in a toast rather than next to a field. */
export function useAdminActions() {
  const { t } = useI18n();
  const admin = useAdminStore();
  const toasts = useToastStore();

  async function remove(noun: CatalogueNoun, id: string) {
    try {
      await admin.remove(noun, id);
      toasts.push(t('admin.deleted'), 'success', 3000);
    } catch (e) {
      toasts.error(userMessage(e));
    }
  }

  return { remove };
}
