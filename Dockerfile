# syntax=docker/dockerfile:1
# sgops image: `docker build -t sgops .`. Three stages: production dependencies; the build, which
# compiles the TypeScript to JavaScript in dist/ (npm run build, with the dev dependencies); and a
# slim runtime with only the two. The runtime runs plain JavaScript: no tsx, no TypeScript sources,
# about 110 MB less resident memory than running the sources through tsx (docs/performance.md).

FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts/ ./scripts/
COPY src/ ./src/
COPY workflows/ ./workflows/
COPY adapters/ ./adapters/
COPY drizzle/ ./drizzle/
# dist/: the compiled code, with the migrations (dist/drizzle) and the console page's assets beside it.
RUN npm run build

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production
# V8's heap sized as Node sizes it inside the Deployment's 512 MiB limit (old space 256 MB, small young
# generation), also when the container runs without a limit on a large host, where V8 would otherwise
# let the heap grow to several times what is live after a burst. See docs/performance.md (footprint).
ENV NODE_OPTIONS="--max-old-space-size=256 --max-semi-space-size=4"
# glibc's malloc (the bookworm base; musl would ignore these): two arenas instead of up to eight per
# core, and free memory at the top of the heap returned past 64 KB instead of past a threshold that
# grows with the largest block freed.
# Loading ~2,000 modules at start-up leaves parser memory behind otherwise: −11 MB at the import
# floor, −8 to −14 MB with 1,000 requests pending (docs/performance.md, footprint).
ENV MALLOC_ARENA_MAX=2 MALLOC_TRIM_THRESHOLD_=65536
WORKDIR /app
# Code and dependencies stay owned by root: the process (uid 1000) can read but never change them.
COPY --from=deps /app/node_modules ./node_modules
# package.json marks the compiled files as ES modules ("type": "module").
COPY package.json ./
COPY --from=build /app/dist ./dist
COPY deploy/healthcheck.mjs ./deploy/healthcheck.mjs
# /data is the sandbox's state directory (a volume in docker-compose.yml); the only writable place besides /tmp.
RUN mkdir -p /data && chown 1000:1000 /data
# Numeric, so Kubernetes' runAsNonRoot can verify it (uid 1000 is the image's `node` user).
USER 1000:1000
EXPOSE 8080
# /healthz on http.port 8080 (deploy/base/config.yaml); SGOPS_HEALTH_URL changes the base URL.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "deploy/healthcheck.mjs", "/healthz"]
ENTRYPOINT ["node", "dist/src/cli.js"]
CMD ["start"]
