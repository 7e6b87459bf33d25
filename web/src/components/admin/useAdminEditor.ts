import { ref, type Ref } from 'vue';

/** Which item a list page's create/edit dialog is showing (null: a new one) and whether it is open. */
export function useAdminEditor<T>() {
  const editing = ref(null) as Ref<T | null>;
  const dialogOpen = ref(false);

  function openEditor(item: T | null) {
    editing.value = item;
    dialogOpen.value = true;
  }

  return { editing, dialogOpen, openEditor };
}
