package dev.tollgate.app;

import io.micronaut.configuration.jdbc.hikari.DatasourceConfiguration;
import io.micronaut.context.BeanProvider;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import jakarta.inject.Singleton;

/**
 * Holds the data source's configuration back until the embedded PostgreSQL that
 * {@link Bootstrap} is still starting accepts connections: the rest of the context (bean
 * definitions, HTTP server, Redis) is built meanwhile, and the data source, Flyway and
 * everything after them see a ready database.
 */
@Singleton
public class DatabaseGate implements BeanCreatedEventListener<DatasourceConfiguration> {

    private final BeanProvider<Bootstrap> bootstrap;

    public DatabaseGate(BeanProvider<Bootstrap> bootstrap) {
        this.bootstrap = bootstrap;
    }

    @Override
    public DatasourceConfiguration onCreated(BeanCreatedEvent<DatasourceConfiguration> event) {
        bootstrap.ifPresent(Bootstrap::awaitDatabase);
        return event.getBean();
    }
}
