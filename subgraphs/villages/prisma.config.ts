import { subgraphPrismaConfig } from '@kopdes/kit/prisma-config';

export default subgraphPrismaConfig('villages', import.meta.dirname);
