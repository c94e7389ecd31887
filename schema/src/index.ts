export * from './cursor.js';
export * from './ids.js';
export * from './sdl.js';
export * from './text.js';
export * from './viewer.js';
export * from './viewer-header.js';
export * from './errors.js';
