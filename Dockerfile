# syntax=docker/dockerfile:1
# Sparkwatch image: build with the .NET SDK, run on the ASP.NET Core runtime as a non-root user.
#   docker build -t sparkwatch:0.1.0 .
#   docker run -p 5000:5000 -v sparkwatch-data:/data sparkwatch:0.1.0
# The root filesystem can be read-only (docker run --read-only, or readOnlyRootFilesystem in Kubernetes):
# the service writes only under /data (the SQLite store) and needs no /tmp (diagnostics IPC is off).

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Restore first, from the project files only, so that the package layer is cached across source changes.
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/Sparkwatch.Core/Sparkwatch.Core.csproj src/Sparkwatch.Core/
COPY src/Sparkwatch.EventLogs/Sparkwatch.EventLogs.csproj src/Sparkwatch.EventLogs/
COPY src/Sparkwatch.Storage/Sparkwatch.Storage.csproj src/Sparkwatch.Storage/
COPY src/Sparkwatch.Storage.Postgres/Sparkwatch.Storage.Postgres.csproj src/Sparkwatch.Storage.Postgres/
COPY src/Sparkwatch/Sparkwatch.csproj src/Sparkwatch/
# ReadyToRun: the service's code is compiled ahead of time for the image's architecture (amd64 or arm64, from
# docker buildx's TARGETARCH), so a restarted pod serves sooner: ~0.3 s less start-up (docs/benchmarks.md).
ARG TARGETARCH=amd64
RUN dotnet restore src/Sparkwatch/Sparkwatch.csproj -a "$TARGETARCH"
COPY src/ src/
RUN dotnet publish src/Sparkwatch/Sparkwatch.csproj --no-restore -c Release -a "$TARGETARCH" --self-contained false \
      -p:PublishReadyToRun=true -o /app /p:UseAppHost=false

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app ./
# The image's built-in non-root user ($APP_UID) owns the data directory, the only place the service writes.
RUN mkdir /data && chown "$APP_UID" /data
VOLUME /data
# Port 5000 on every interface, by ASP.NET Core's convention: docker run -e ASPNETCORE_HTTP_PORTS=… or ASPNETCORE_URLS=… changes it.
ENV ASPNETCORE_HTTP_PORTS=5000 \
    Sparkwatch__DataDirectory=/data \
    DOTNET_EnableDiagnostics=0
EXPOSE 5000
USER $APP_UID
# The runtime image has no curl: bash opens the TCP connection itself and checks the status line of /health.
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
    CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/5000 && printf 'GET /health HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]
ENTRYPOINT ["dotnet", "Sparkwatch.dll"]
