/**
 * The functions' logic, one file per trigger or concern (see index.ts for
 * which trigger calls which). This module only re-exports them, for the
 * tests, the conformance harness and scripts that import "the handlers".
 * New code should import from the concern's own file.
 */
export * from './deps.ts';
export * from './actor.ts';
export * from './http.ts';
export * from './command.ts';
export * from './widgetSession.ts';
export * from './uploads.ts';
export * from './files.ts';
export * from './fileKeys.ts';
export * from './quotas.ts';
export * from './outbox.ts';
export * from './automation.ts';
export * from './claims.ts';
export * from './webhooks.ts';
export * from './quickReplyFiles.ts';
export * from './passwords.ts';
