import { ref, watch, type Ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { useToastStore } from '@/stores/toasts';
import { useFieldErrors } from './fieldErrors';

/**
 * What every create/edit dialog in Administração does around its own fields:
 * refill them (`reset`) and forget old errors each time it opens, keep the
 * saving state, and after a save say so and close, or put the failure by its field.
 */
export function useAdminForm(open: Ref<boolean>, reset: () => void) {
  const { t } = useI18n();
  const toasts = useToastStore();
  const fieldErrors = useFieldErrors();
  const busy = ref(false);

  watch(
    open,
    (isOpen) => {
      if (!isOpen) return;
      reset();
      fieldErrors.clear();
    },
    { immediate: true },
  );

  /** Runs `write`; closes with a "saved" toast unless it returns false (the dialog kept something to fix). */
  async function save(write: () => Promise<unknown>) {
    busy.value = true;
    try {
      if ((await write()) === false) return;
      toasts.push(t('admin.saved'), 'success', 3000);
      open.value = false;
    } catch (e) {
      fieldErrors.fromError(e);
    } finally {
      busy.value = false;
    }
  }

  return { ...fieldErrors, busy, save };
}
