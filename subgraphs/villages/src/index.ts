import { runSubgraph } from '@kopdes/kit';
import { villages } from './subgraph';

await runSubgraph(villages);
