import { runSubgraph } from '@kopdes/kit';
import { digital } from './subgraph';

await runSubgraph(digital);
