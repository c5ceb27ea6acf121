import { subgraphPrismaConfig } from '@kopdes/kit/prisma-config';

export default subgraphPrismaConfig('cooperatives', import.meta.dirname);
