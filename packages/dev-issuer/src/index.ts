export * from './directory.js';
export * from './issuer.js';
