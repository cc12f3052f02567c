# syntax=docker/dockerfile:1
# Tollgate: one image for every role. The role is chosen at run time with
# TOLLGATE_GATEWAY_ENABLED / TOLLGATE_BILLING_ENABLED / TOLLGATE_PORTAL_ENABLED /
# TOLLGATE_TENANT_API_ENABLED; see infra/terraform/README.md and docs/scaling.md.
#
#   docker build -t tollgate .

# --- build: the Maven reactor produces app/target/tollgate.jar ------------------------------
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
# The cache mount keeps ~/.m2 between builds without baking it into a layer.
RUN --mount=type=cache,target=/root/.m2 mvn -B -DskipTests package

# --- runtime: JRE only, unprivileged user -------------------------------------------------
FROM eclipse-temurin:17-jre AS runtime
RUN groupadd --system --gid 10001 tollgate \
 && useradd --system --uid 10001 --gid tollgate --home-dir /opt/tollgate --shell /usr/sbin/nologin tollgate \
 && mkdir -p /opt/tollgate/data \
 && chown -R tollgate:tollgate /opt/tollgate
WORKDIR /opt/tollgate
COPY --from=build /src/app/target/tollgate.jar /opt/tollgate/tollgate.jar
COPY --chmod=0755 infra/docker/healthcheck.sh /opt/tollgate/healthcheck.sh

# Heap sized from the container's memory limit, leaving a quarter for metaspace, threads,
# direct buffers (Netty) and the OS, and fixed at that size; the parallel collector, which on few
# cores costs ~19 % less CPU per gateway request than G1 (bench/CPU.md); die on OOM so the
# orchestrator restarts a clean task.
# TOLLGATE_HOME: embedded-mode data and generated secrets; writable by the runtime user. Mount a
# volume there to keep an embedded installation across container restarts.
ENV MICRONAUT_SERVER_PORT=8080 \
    TOLLGATE_HOME=/opt/tollgate/data \
    JAVA_OPTS="-XX:MaxRAMPercentage=75 -XX:InitialRAMPercentage=75 -XX:+UseParallelGC -XX:+ExitOnOutOfMemoryError -Dfile.encoding=UTF-8 -Duser.timezone=UTC"

USER 10001:10001
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=5s --start-period=90s --retries=3 CMD ["/opt/tollgate/healthcheck.sh"]
# exec: java becomes PID 1 and receives SIGTERM for a graceful shutdown.
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS -jar /opt/tollgate/tollgate.jar \"$@\"", "tollgate"]
