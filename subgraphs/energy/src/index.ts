import { runSubgraph } from '@kopdes/kit';
import { energy } from './subgraph';

await runSubgraph(energy);
