import { runSubgraph } from '@kopdes/kit';
import { labour } from './subgraph';

await runSubgraph(labour);
