export * from './database.js';
export * from './processes.js';
export * from './seed.js';
export * from './seed-attestation.js';
export * from './stack.js';
export * from './throwaway-stack.js';
export * from './tape-sample.js';
export * from './kyc-sandbox.js';
