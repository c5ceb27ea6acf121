import { runSubgraph } from '@kopdes/kit';
import { collaboration } from './subgraph';

await runSubgraph(collaboration);
