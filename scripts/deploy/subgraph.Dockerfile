# syntax=docker/dockerfile:1
# One image per ministry subgraph, from the repository root:
#   docker build -f scripts/deploy/subgraph.Dockerfile --build-arg SUBGRAPH=financing \
#     --build-arg REGISTRY=registry.example.go.id/mirror/ -t <registry>/kopdes-financing:<tag> .
# REGISTRY is the prefix of the base image: an air-gapped site points it at its own mirror.
ARG REGISTRY=docker.io/library/
ARG NODE_IMAGE=node:20-bookworm-slim

# build: installs everything and generates the Prisma client (offline WebAssembly engine).
FROM ${REGISTRY}${NODE_IMAGE} AS build
ARG SUBGRAPH
WORKDIR /app
ENV APOLLO_TELEMETRY_DISABLED=true NPM_CONFIG_UPDATE_NOTIFIER=false
COPY . .
RUN test -n "${SUBGRAPH}" && test -f "subgraphs/${SUBGRAPH}/src/index.ts" \
  || { echo "Pass --build-arg SUBGRAPH=<name> of a folder in subgraphs/ (see scripts/subgraphs.json)." >&2; exit 1; }
RUN npm ci --no-audit --no-fund --ignore-scripts --workspace "subgraphs/${SUBGRAPH}" --include-workspace-root
RUN npm run generate --workspace "subgraphs/${SUBGRAPH}"

# deps: the sources with production dependencies only (no test runner, compiler, bundler or benchmark tools).
FROM ${REGISTRY}${NODE_IMAGE} AS deps
ARG SUBGRAPH
WORKDIR /app
COPY . .
RUN npm ci --no-audit --no-fund --ignore-scripts --omit=dev --workspace "subgraphs/${SUBGRAPH}" --include-workspace-root

# runtime: the production start command as a non-root user; nothing is installed or downloaded at start.
FROM ${REGISTRY}${NODE_IMAGE} AS runtime
ARG SUBGRAPH
ENV NODE_ENV=production HOST=0.0.0.0 PORT=8080 APOLLO_TELEMETRY_DISABLED=true KOPDES_SUBGRAPH=${SUBGRAPH}
WORKDIR /app
COPY --from=deps /app/package.json /app/tsconfig.json ./
COPY --from=deps /app/node_modules ./node_modules
COPY --from=deps /app/subgraphs/kit ./subgraphs/kit
COPY --from=deps /app/subgraphs/${SUBGRAPH} ./subgraphs/${SUBGRAPH}
COPY --from=build /app/subgraphs/${SUBGRAPH}/src/generated ./subgraphs/${SUBGRAPH}/src/generated
WORKDIR /app/subgraphs/${SUBGRAPH}
USER node
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+process.env.PORT+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# `--migrate-only` as the argument: migrate the database and exit (the Kubernetes Job).
CMD ["node", "--import", "tsx", "src/index.ts"]
