import type { PresenceSettings, Settings } from '../model/index.ts';

/** Zod-free, so the console can import it without the schemas. */
export const PRESENCE_DEFAULTS: PresenceSettings = { startPaused: false, graceSeconds: 90, idlePauseMinutes: 0 };

export const presenceSettingsOf = (settings: Pick<Settings, 'presence'> | null | undefined): PresenceSettings => ({
  ...PRESENCE_DEFAULTS,
  ...settings?.presence,
});
