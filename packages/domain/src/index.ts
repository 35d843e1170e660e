export * from './ticket.js';
export * from './numbering.js';
export * from './business-day.js';
export * from './opening-hours.js';
export * from './next-ticket.js';
export * from './wait-estimate.js';
export * from './vietnamese-number.js';
export * from './stats.js';
