/** An id for a document created from a screen whose command wants the id up front (users, channels). */
export const newDocId = (prefix: string) => `${prefix}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
