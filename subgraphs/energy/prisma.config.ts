import { subgraphPrismaConfig } from '@kopdes/kit/prisma-config';

export default subgraphPrismaConfig('energy', import.meta.dirname);
