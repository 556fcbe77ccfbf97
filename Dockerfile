# Lumen: API, websocket and web app in one image. Run with docker-compose.yml or on its own:
#   docker build -t lumen . && docker run -p 4000:4000 -v lumen-data:/data lumen
FROM node:20-bookworm-slim AS build
RUN npm install -g pnpm@10
WORKDIR /src
COPY . .
RUN pnpm install --frozen-lockfile \
 && pnpm build \
 && pnpm --filter @lumen/server deploy --prod --legacy /out

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    PORT=4000 \
    DATA_DIR=/data \
    WEB_DIST_DIR=/app/web
WORKDIR /app
COPY --from=build /out/ /app/
COPY --from=build /src/web/dist/ /app/web/
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 4000
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:4000/healthz').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "--enable-source-maps", "dist/main.js"]
