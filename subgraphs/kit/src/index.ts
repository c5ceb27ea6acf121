import 'reflect-metadata';

export * from './codes';
export * from './connection';
export * from './database';
export * from './errors';
export * from './loaders';
export * from './log';
export * from './migrate';
export * from './money';
export * from './paths';
export * from './schema';
export * from './seed';
export * from './server';
export * from './statements';
export * from './subgraph';
export * from './boot';
export * from './http';
