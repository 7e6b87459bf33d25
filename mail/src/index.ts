export * from './imap.ts';
export * from './parse.ts';
export * from './smtp.ts';
