import { ref } from 'vue';

/** The ticket whose template picker is open (one at a time): the window bar and a failed message's "Enviar modelo" open it. */
export const templatePickerFor = ref<string | null>(null);
