export * from './html.ts';
export * from './inbound.ts';
export * from './outbound.ts';
export * from './quote.ts';
export * from './thread.ts';
export * from './parsed.ts';
export * from './receive.ts';
export * from './deliver.ts';
