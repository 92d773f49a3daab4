# syntax=docker/dockerfile:1
# Multi-stage build of linkemu: a static binary on a minimal non-root image.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
COPY third_party ./third_party
RUN go mod download
COPY . .
# What `emulator version` reports; `make docker` passes them.
ARG VERSION= COMMIT= DATE=
RUN CGO_ENABLED=0 go build -trimpath -o /out/emulator \
    -ldflags="-s -w -X github.com/linkemu/linkemu/internal/buildinfo.Version=${VERSION} -X github.com/linkemu/linkemu/internal/buildinfo.Commit=${COMMIT} -X github.com/linkemu/linkemu/internal/buildinfo.Date=${DATE}" \
    ./cmd/emulator \
 && mkdir -p /out/data

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/emulator /emulator
COPY --from=build --chown=65532:65532 /out/data /data
USER 65532:65532
ENV EMULATOR_HTTP_ADDR=:8090 \
    EMULATOR_DATA_DIR=/data
VOLUME ["/data"]
EXPOSE 8090 8443 19092 19093 29092 29093
HEALTHCHECK --interval=5s --timeout=5s --retries=10 CMD ["/emulator", "healthcheck"]
ENTRYPOINT ["/emulator"]
# Embedded clusters bind all interfaces in the container and advertise
# localhost, so clients on the host reach them through -p 19092:19092 -p 29092:29092
# (and their SASL_SSL listeners, port + 1, through -p 19093:19093 -p 29093:29093).
CMD ["--embedded", "lkc-east=0.0.0.0:19092@localhost:19092", "--embedded", "lkc-west=0.0.0.0:29092@localhost:29092"]
