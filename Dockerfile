# syntax=docker/dockerfile:1

# ---- build: compile TypeScript (src and migrations) into dist/ ----
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY src ./src
COPY migrations ./migrations
RUN npm run build

# ---- runtime: production dependencies and the compiled code only ----
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force
COPY --from=build /app/dist ./dist
# DATA_DIR (default .data) must be writable by the service user; in production nothing is
# written there when DATABASE_URL, ADMIN_TOKEN and SECRETS_KEY are set.
RUN mkdir -p /app/.data && chown node:node /app/.data
USER node
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# A smaller old generation makes V8 collect sooner: peak RSS ~150 MB instead of ~280 MB at the same throughput (npm run bench).
CMD ["node", "--max-old-space-size=160", "dist/src/main.js"]
