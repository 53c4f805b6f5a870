# Byline in a container: a static binary (pure-Go SQLite, no cgo) on a
# distroless base. Build: docker build -t byline .
# Run on SQLite:     docker run -p 8080:8080 -v byline-data:/data byline
# Run on PostgreSQL: docker run -p 8080:8080 -v /srv/media:/data/media \
#                      -e BYLINE_DATABASE=postgres://… -e BYLINE_BASE_URL=https://… byline
# See docs/scaling.md.

FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=container
RUN CGO_ENABLED=0 GOOS=linux go build -trimpath \
      -ldflags "-s -w -X byline/internal/cli.Version=${VERSION}" \
      -o /out/byline ./cmd/byline \
 && mkdir -p /out/data

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/byline /usr/local/bin/byline
COPY --from=build --chown=nonroot:nonroot /out/data /data
ENV BYLINE_ADDR=:8080 \
    BYLINE_DATA=/data \
    BYLINE_LOG_FORMAT=json
VOLUME ["/data"]
EXPOSE 8080
USER nonroot:nonroot
# distroless has no shell or curl: let the orchestrator probe /healthz
# (liveness) and /readyz (readiness).
ENTRYPOINT ["/usr/local/bin/byline"]
CMD ["serve"]
