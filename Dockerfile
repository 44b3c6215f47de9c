# syntax=docker/dockerfile:1

# One image for every Cashless Street service. The command picks the process:
#   node dist/apps/<service>/src/main.js           serve HTTP (+ consume Kafka)
#   node dist/apps/<service>/src/main.js migrate   one-shot: create the database, apply migrations
#   node dist/tools/topics.js                      one-shot: create the Kafka topics
# See docs/deployment.md.

ARG NODE_VERSION=20.20
# package.json "allowScripts" (which install scripts may run) is an npm 11 feature; the npm 10
# bundled with Node 20 would ignore it and run every install script.
ARG NPM_VERSION=11.19.1

# ---- npm: Node + npm 11, base of the stages that install packages ----------------
FROM node:${NODE_VERSION}-bookworm-slim AS npm
ARG NPM_VERSION
RUN npm install --global --no-audit --no-fund "npm@${NPM_VERSION}"
WORKDIR /app

# ---- build: all dependencies, compile TypeScript to dist/ ------------------------------------
FROM npm AS build
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund
COPY . .
RUN npm run build

# ---- prod-deps: runtime dependencies only -----------------------------------------------------
FROM npm AS prod-deps
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev --no-audit --no-fund

# ---- runtime -----------------------------------------------------------------------------------
FROM node:${NODE_VERSION}-bookworm-slim AS runtime
# tini as PID 1: forwards SIGTERM to node (Nest's shutdown hooks drain consumers and close the
# pool) and reaps zombies, also where no --init is available (Kubernetes).
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini \
 && rm -rf /var/lib/apt/lists/*
# The services' runtime settings (tools/services.ts): V8 heap caps and two malloc arenas.
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    NODE_OPTIONS="--max-old-space-size=160 --max-semi-space-size=4" \
    MALLOC_ARENA_MAX=2
WORKDIR /app
# Owned by root and only readable by the `node` user: the services never write to /app.
COPY package.json ./
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
USER node
# gateway, merchant, payment, ledger, analytics, bank-sim (defaults; PORT overrides).
EXPOSE 8080 8081 8082 8083 8084 8085
# No curl in slim images: Node's fetch. PORT is unset for the default command (gateway, 8080).
# /health answers 503 while the service's database, Kafka (or, for the gateway, its upstreams) are down.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8080) + '/health', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "dist/apps/gateway/src/main.js"]
