export * from './errors.js';
export * from './schemas.js';
export * from './events.js';
export * from './queue-state.js';
export * from './admin.js';
export * from './printing.js';
