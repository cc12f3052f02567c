package dev.tollgate.platform.testing;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.PostgreSQLContainer;

/** PostgreSQL and Redis from Testcontainers, for machines with a Docker engine. */
final class ContainerBackend {

    private ContainerBackend() {
    }

    static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (Throwable e) {
            return false;
        }
    }

    @SuppressWarnings("resource")
    static TestServices.Backend start() {
        PostgreSQLContainer<?> pg = new PostgreSQLContainer<>("postgres:15-alpine");
        pg.start();
        GenericContainer<?> redis = new GenericContainer<>("redis:7-alpine").withExposedPorts(6379);
        redis.start();
        return new TestServices.Backend(pg.getJdbcUrl(), pg.getUsername(), pg.getPassword(),
                "redis://" + redis.getHost() + ":" + redis.getMappedPort(6379));
    }
}
