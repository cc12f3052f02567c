package dev.tollgate.platform.price;

import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The pinned price table ({@value #PATH}, pydantic/genai-prices), read and parsed once per JVM and
 * shared by everything that reads it: the {@link ModelCatalog}, the usage extractors and billing's
 * price import.
 */
public final class PriceFile {

    /** The price file on the classpath. */
    public static final String PATH = "/genai-prices/genai-prices-v2.json";

    private static final class Holder {
        private static final PriceFile BUNDLED = read();
    }

    private final byte[] bytes;
    private final JsonNode root;

    private PriceFile(byte[] bytes, JsonNode root) {
        this.bytes = bytes;
        this.root = root;
    }

    /** The bundled file; the first call reads and parses it. */
    public static PriceFile bundled() {
        return Holder.BUNDLED;
    }

    /** The file's bytes as bundled (a copy), e.g. to identify the version by hash. */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** The parsed table: an array of providers. */
    public JsonNode root() {
        return root;
    }

    private static PriceFile read() {
        try (InputStream in = PriceFile.class.getResourceAsStream(PATH)) {
            if (in == null) {
                throw new IllegalStateException(PATH + " missing from the classpath");
            }
            byte[] bytes = in.readAllBytes();
            return new PriceFile(bytes, JsonMapper.createDefault().readValue(bytes, JsonNode.class));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + PATH, e);
        }
    }
}
