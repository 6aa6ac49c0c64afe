import type { Locator } from './locator.js';

/** Temporary stand-in: the schema branch replaces this file with the real validator. */
export function validateComposeFile(_tree: unknown, _locator: Locator): void {}
