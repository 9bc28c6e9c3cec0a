export * from './capabilities.js';
export * from './gate.js';
export * from './policy.js';
