export * from './envelope.js';
export * from './key-provider.js';
