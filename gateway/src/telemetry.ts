// Imported first by everything that builds an ApolloGateway: without this the gateway
// probes cloud metadata addresses and reports to its vendor. Government data stays home.
process.env.APOLLO_TELEMETRY_DISABLED = 'true';

export const telemetryDisabled = true;
