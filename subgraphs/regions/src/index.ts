import { runSubgraph } from '@kopdes/kit';
import { regions } from './subgraph';

await runSubgraph(regions);
