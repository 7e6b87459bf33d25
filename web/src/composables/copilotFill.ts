import { reactive, ref } from 'vue';

/** A copilot suggestion the agent clicked: the composer of that ticket takes the text (never sends it). */
export const copilotFill = ref<{ ticketId: string; text: string; at: number } | null>(null);

export const fillComposer = (ticketId: string, text: string): void => {
  copilotFill.value = { ticketId, text, at: Date.now() };
};

/** What each open composer holds right now, for the copilot's rewrite and translate (the composer publishes it). */
export const composerDrafts = reactive(new Map<string, string>());
