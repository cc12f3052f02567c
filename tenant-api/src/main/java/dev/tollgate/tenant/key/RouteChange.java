package dev.tollgate.tenant.key;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.type.Argument;
import io.micronaut.serde.Decoder;
import io.micronaut.serde.Deserializer;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;

import java.io.IOException;

/**
 * The {@code route} of a key PATCH, where JSON {@code null} means "unbind" rather than "keep":
 * a command holds no {@code RouteChange} when the field was absent, {@code RouteChange(null)}
 * for {@code "route": null} and {@code RouteChange("name")} to bind the route named.
 *
 * @param name the route to bind, null to unbind
 */
@Serdeable.Deserializable(using = RouteChange.Reader.class)
public record RouteChange(@Nullable String name) {

    /** Reads a string or null; anything else is a type error (a 400 naming the field). */
    @Singleton
    public static final class Reader implements Deserializer<RouteChange> {

        @Override
        public RouteChange deserialize(Decoder decoder, DecoderContext context, Argument<? super RouteChange> type)
                throws IOException {
            return new RouteChange(decoder.decodeString());
        }

        @Override
        public RouteChange deserializeNullable(Decoder decoder, DecoderContext context, Argument<? super RouteChange> type)
                throws IOException {
            return decoder.decodeNull() ? new RouteChange(null) : deserialize(decoder, context, type);
        }
    }
}
