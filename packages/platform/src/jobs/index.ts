export * from './chain-transaction.js';
export * from './queue.js';
