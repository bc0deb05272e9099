/** Argument and options validation for the public API (see arguments.ts and options.ts). */
export * from './arguments.js';
export * from './options.js';
export { describeValue, errorText } from './describe.js';
