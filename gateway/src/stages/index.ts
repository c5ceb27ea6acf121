export { budget } from './budget';
export { cacheKey, responseCache, reusable } from './cache';
export { execute } from './execute';
export { createIdentity, type Identity } from './identify';
export { limits } from './limits';
export { observe } from './observe';
export { readGraphql } from './read';
export { respond } from './respond';
