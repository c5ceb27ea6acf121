import './telemetry';
import { log } from '@kopdes/kit';
import { configFromEnv, createGatewayServer } from './server';

try {
  const config = configFromEnv();
  const gateway = await createGatewayServer(config);
  const url = await gateway.listen(Number(process.env.PORT ?? 4000), process.env.HOST ?? '127.0.0.1');
  log.info('gateway listening', { url, graphql: `${url}/graphql`, supergraph: config.supergraphPath, hotReload: config.watchSupergraph });
  let signals = 0;
  const shutdown = (signal: string) => {
    // First signal: drain in-flight requests (up to SHUTDOWN_TIMEOUT_MS); a second one exits at once.
    if (++signals > 1) process.exit(1);
    log.info('gateway stopping', { signal, deadlineMs: config.shutdownTimeoutMs });
    gateway.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error('gateway stop failed', { error: error instanceof Error ? error.stack : String(error) });
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
} catch (error) {
  log.error('gateway failed to start', { error: error instanceof Error ? error.stack : String(error) });
  process.exit(1);
}
