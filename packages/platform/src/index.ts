import 'reflect-metadata';

export * from './auth.js';
export * from './canonical-json.js';
export * from './config.js';
export * from './context.js';
export * from './errors.js';
export * from './gate/index.js';
export * from './http-server.js';
export * from './jobs/index.js';
export * from './logger.js';
export * from './orm.js';
export * from './outbox.js';
export * from './page.js';
export * from './scalars.js';
export * from './subgraph-runtime.js';
export * from './subgraph-schema.js';
export * from './tenancy.js';
export * from './topology.js';
