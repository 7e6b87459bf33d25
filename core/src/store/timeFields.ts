/**
 * The model's points in time, per collection: the paths of every `Millis`
 * field of its schema (`[]`: an array's items). Derived from the core
 * schemas by `deriveTimeFields` (./timeFieldsOf.ts) and kept here as plain
 * data for the bundles without zod (the widget's Firestore REST reads);
 * core/test/timeCodec.test.ts fails, printing the new list, when a model
 * change makes it stale. Read by the Firestore codec (./timeCodec.ts).
 */
export const TIME_FIELDS: Readonly<Record<string, readonly string[]>> = {
  channelSecrets: ['updatedAt'],
  channels: ['health.at', 'updatedAt'],
  classifications: ['updatedAt'],
  contacts: ['createdAt', 'updatedAt'],
  copilotExamples: ['closedAt', 'pairs[].at'],
  facts: ['at', 'earlier[].at'],
  messages: ['call.startedAt', 'createdAt', 'deletedAt', 'delivery.doneAt', 'delivery.dueAt', 'reactions[].at'],
  pauseReasons: ['updatedAt'],
  presenceEvents: ['at', 'previousSince'],
  quickReplies: ['updatedAt'],
  receipts: ['at'],
  sectors: ['updatedAt'],
  settings: ['updatedAt'],
  sipSecrets: ['updatedAt'],
  tags: ['updatedAt'],
  templates: ['syncedAt', 'updatedAt'],
  tickets: ['acceptedAt', 'closedAt', 'createdAt', 'inactivityWarnedAt', 'lastCustomerMessageAt', 'lastMessage.at', 'lastMessageAt', 'life.firstQueuedAt', 'life.firstResponseAt', 'life.servedAt', 'life.startedAt', 'lifeFacts[].at', 'queuedAt', 'recent.lines[].call.startedAt', 'recent.lines[].createdAt', 'recent.lines[].deletedAt', 'recent.lines[].delivery.doneAt', 'recent.lines[].delivery.dueAt', 'recent.lines[].reactions[].at', 'recent.older', 'sla.firstResponseDueAt', 'sla.resolutionDueAt', 'survey.answeredAt', 'survey.expiresAt', 'survey.sentAt', 'updatedAt', 'windowClosedAt', 'windowFrom'],
  users: ['onCallSince', 'presenceSince', 'updatedAt'],
};
