# syntax=docker/dockerfile:1
# sgops image: `docker build -t sgops .`. Two stages: install production dependencies, then copy only
# what runs onto a slim runtime. There is no build step: sgops runs its TypeScript through tsx,
# which is therefore a production dependency and stays in node_modules.

FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
# Code and dependencies stay owned by root: the process (uid 1000) can read but never change them.
COPY --from=deps /app/node_modules ./node_modules
COPY package.json package-lock.json tsconfig.json ./
COPY bin/ ./bin/
COPY src/ ./src/
COPY workflows/ ./workflows/
COPY adapters/ ./adapters/
COPY drizzle/ ./drizzle/
COPY deploy/healthcheck.mjs ./deploy/healthcheck.mjs
# /data is the sandbox's state directory (a volume in docker-compose.yml); the only writable place besides /tmp.
RUN mkdir -p /data && chown 1000:1000 /data
# Numeric, so Kubernetes' runAsNonRoot can verify it (uid 1000 is the image's `node` user).
USER 1000:1000
EXPOSE 8080
# /healthz on http.port 8080 (deploy/base/config.yaml); SGOPS_HEALTH_URL changes the base URL.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "deploy/healthcheck.mjs", "/healthz"]
ENTRYPOINT ["node", "bin/sgops.js"]
CMD ["start"]
