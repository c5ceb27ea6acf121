# syntax=docker/dockerfile:1
# The gateway image, from the repository root:
#   docker build -f scripts/deploy/gateway.Dockerfile \
#     --build-arg REGISTRY=registry.example.go.id/mirror/ -t <registry>/kopdes-gateway:<tag> .
# REGISTRY is the prefix of the base image: an air-gapped site points it at its own mirror.
ARG REGISTRY=docker.io/library/
ARG NODE_IMAGE=node:20-bookworm-slim

# build: installs everything and bundles GraphiQL and the dashboard (esbuild; nothing from a CDN).
FROM ${REGISTRY}${NODE_IMAGE} AS build
WORKDIR /app
ENV APOLLO_TELEMETRY_DISABLED=true NPM_CONFIG_UPDATE_NOTIFIER=false
COPY . .
RUN npm ci --no-audit --no-fund --ignore-scripts --workspace gateway --include-workspace-root
RUN npm run generate --workspace gateway

# deps: the sources with production dependencies only (no test runner, compiler or benchmark tools).
FROM ${REGISTRY}${NODE_IMAGE} AS deps
WORKDIR /app
COPY . .
RUN npm ci --no-audit --no-fund --ignore-scripts --omit=dev --workspace gateway --include-workspace-root

# runtime: the production start command as a non-root user; nothing is installed or downloaded at start.
FROM ${REGISTRY}${NODE_IMAGE} AS runtime
ENV NODE_ENV=production HOST=0.0.0.0 PORT=4000 APOLLO_TELEMETRY_DISABLED=true \
  SUPERGRAPH_PATH=/app/schema/supergraph.graphql OPERATIONS_DIR=/app/schema/operations
WORKDIR /app
COPY --from=deps /app/package.json /app/tsconfig.json ./
COPY --from=deps /app/node_modules ./node_modules
COPY --from=deps /app/subgraphs/kit ./subgraphs/kit
COPY --from=deps /app/schema ./schema
COPY --from=deps /app/gateway ./gateway
COPY --from=build /app/gateway/public/build ./gateway/public/build
WORKDIR /app/gateway
USER node
EXPOSE 4000
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+process.env.PORT+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# The heap bound keeps the gateway's resident set under ~300 MB: V8 otherwise lets garbage from large
# answers grow the heap for long before collecting it. What stays alive is bounded by the response
# cache (RESPONSE_CACHE_MAX_MB), the entity cache (ENTITY_CACHE_MAX_MB) and the execution budget
# (EXECUTION_COST_BUDGET); raise this with them (README, "Subgraph fetches").
CMD ["node", "--max-old-space-size=192", "--max-semi-space-size=8", "--import", "tsx", "src/index.ts"]
