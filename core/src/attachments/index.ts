export * from './rules.ts';
export * from './sniff.ts';
export * from './fileKeys.ts';
export * from './providerFiles.ts';
