package dev.tollgate.tenant.key;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;

/** A key with its full secret ({@code key}), returned once: on creation and on rotation. */
@Serdeable(naming = SnakeCaseStrategy.class)
public record CreatedKey(String key, @JsonUnwrapped KeyView view) {

    @Override
    public String toString() {
        return "CreatedKey[" + view.prefix() + "_***]";
    }
}
