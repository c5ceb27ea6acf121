import { subgraphPrismaConfig } from '@kopdes/kit/prisma-config';

export default subgraphPrismaConfig('regions', import.meta.dirname);
