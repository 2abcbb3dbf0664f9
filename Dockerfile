# KindlyGuard gateway image. Build: docker build -t kindly-guard .
# Run: docker run --read-only --tmpfs /tmp -v kg-state:/var/lib/kindly-guard -p 8080:8080 kindly-guard
# Stage 1 compiles: the WASM core, the automaton, dist/, and the native addons (uWebSockets.js ships its binary;
# bcrypt and better-sqlite3 build here, so the toolchain stays out of the runtime image).
FROM node:20-bookworm AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY asconfig.json tsconfig.json index.ts ./
COPY scripts ./scripts
COPY wasm ./wasm
COPY engine ./engine
COPY server ./server
RUN npm ci && npm prune --omit=dev

# Stage 2 runs: slim Node 20, no compilers, no shell tools needed, user 10001.
FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    KINDLY_GUARD_STATE_DIR=/var/lib/kindly-guard
WORKDIR /app
COPY --from=build --chown=0:0 /app/package.json ./
COPY --from=build --chown=0:0 /app/node_modules ./node_modules
COPY --from=build --chown=0:0 /app/dist ./dist
COPY --from=build --chown=0:0 /app/build ./build
COPY deploy/docker/config.yaml /etc/kindly-guard/config.yaml
RUN mkdir -p /var/lib/kindly-guard && chown 10001:10001 /var/lib/kindly-guard
USER 10001:10001
VOLUME ["/var/lib/kindly-guard"]
EXPOSE 8080 9090
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "dist/server/cli/main.js", "health", "--config", "/etc/kindly-guard/config.yaml"]
ENTRYPOINT ["node", "dist/server/cli/main.js"]
CMD ["serve", "--config", "/etc/kindly-guard/config.yaml"]
