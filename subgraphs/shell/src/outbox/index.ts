export * from './dead-letters.js';
export * from './dispatcher.js';
export * from './enqueue.js';
export * from './link-tokens.js';
export * from './mail-catcher.js';
export * from './table.js';
export * from './transport.js';
