export * from './rules.ts';
export * from './sniff.ts';
