export * from './config.js';
export * from './db.js';
export * from './errors.js';
export * from './http.js';
export * from './inputs.js';
export * from './loaders.js';
export * from './pglite.js';
export * from './service.js';
