import './telemetry';
import { log } from '@kopdes/kit';
import { configFromEnv, createGatewayServer } from './server';

try {
  const config = configFromEnv();
  const gateway = await createGatewayServer(config);
  const url = await gateway.listen(Number(process.env.PORT ?? 4000), process.env.HOST ?? '127.0.0.1');
  log.info('gateway listening', { url, graphql: `${url}/graphql`, supergraph: config.supergraphPath });
  const shutdown = () => {
    gateway.stop().then(() => process.exit(0), () => process.exit(1));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
} catch (error) {
  log.error('gateway failed to start', { error: error instanceof Error ? error.stack : String(error) });
  process.exit(1);
}
