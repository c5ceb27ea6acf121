import { runSubgraph } from '@kopdes/kit';
import { cooperatives } from './subgraph';

await runSubgraph(cooperatives);
