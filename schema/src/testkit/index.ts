export * from './databases.js';
export * from './contracts.js';
export * from './operations.js';
