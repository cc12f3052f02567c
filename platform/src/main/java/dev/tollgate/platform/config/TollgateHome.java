package dev.tollgate.platform.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The directory where an embedded installation keeps its state: database files, Redis data,
 * the generated admin token and master key. {@code $TOLLGATE_HOME}, else {@code ./.tollgate}.
 */
public record TollgateHome(Path dir) {

    public static TollgateHome fromEnvironment() {
        String env = System.getenv("TOLLGATE_HOME");
        Path dir = Path.of(env == null || env.isBlank() ? ".tollgate" : env).toAbsolutePath().normalize();
        return new TollgateHome(dir);
    }

    public Path resolve(String name) {
        return dir.resolve(name);
    }

    /**
     * Reads the secret stored in {@code name}, creating it with {@code bytes} random bytes
     * (URL-safe base64, owner-readable only) the first time.
     */
    public String secret(String name, int bytes) {
        Path file = resolve(name);
        try {
            Files.createDirectories(dir);
            if (Files.exists(file)) {
                return Files.readString(file).trim();
            }
            byte[] raw = new byte[bytes];
            new SecureRandom().nextBytes(raw);
            String value = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
            Files.writeString(file, value + "\n");
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // non-POSIX file system: the directory's own permissions are all we have
            }
            return value;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create " + file, e);
        }
    }
}
