export * from './types.ts';
export * from './signature.ts';
export * from './window.ts';
export * from './carrier.ts';
export * from './registry.ts';
export * from './whatsapp/index.ts';
export * from './ingest.ts';
