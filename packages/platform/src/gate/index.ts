export * from './capabilities.js';
export * from './gate.js';
export * from './sql-state-source.js';
export * from './policy.js';
export * from './workflow-tasks.js';
