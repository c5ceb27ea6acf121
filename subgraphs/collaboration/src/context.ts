import type { SubgraphContext } from '@kopdes/kit';
import type { CollaborationDb } from './db';
import type { CollaborationLoaders } from './loaders';

export type Context = SubgraphContext<CollaborationDb, CollaborationLoaders>;
