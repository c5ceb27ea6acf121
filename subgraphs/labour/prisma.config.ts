import { subgraphPrismaConfig } from '@kopdes/kit/prisma-config';

export default subgraphPrismaConfig('labour', import.meta.dirname);
