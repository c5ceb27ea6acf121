import { runSubgraph } from '@kopdes/kit';
import { financing } from './subgraph';

await runSubgraph(financing);
