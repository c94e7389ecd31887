export * from './databases.js';
export * from './contracts.js';
