package dev.tollgate.tenant.account;

import at.favre.lib.crypto.bcrypt.BCrypt;
import at.favre.lib.crypto.bcrypt.LongPasswordStrategies;
import dev.tollgate.tenant.web.TenantApiConfiguration;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * bcrypt password hashes ({@code $2b$}, cost {@code tollgate.tenant-api.bcrypt-cost}). Passwords
 * longer than bcrypt's 72 bytes are pre-hashed with SHA-512 rather than silently truncated.
 */
@Singleton
public class PasswordHasher {

    private static final BCrypt.Version VERSION = BCrypt.Version.VERSION_2B;

    private final int cost;
    private final BCrypt.Hasher hasher = BCrypt.with(VERSION, new SecureRandom(), LongPasswordStrategies.hashSha512(VERSION));
    private final BCrypt.Verifyer verifyer = BCrypt.verifyer(VERSION, LongPasswordStrategies.hashSha512(VERSION));
    /** Checked against when the e-mail is unknown, so that a miss costs as much time as a wrong password. */
    private final String decoy;

    public PasswordHasher(TenantApiConfiguration configuration) {
        this.cost = configuration.bcryptCost();
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        this.decoy = hash(Base64.getEncoder().encodeToString(random));
    }

    public String hash(String password) {
        return hasher.hashToString(cost, password.toCharArray());
    }

    /** Constant-work check of a password against a stored hash; a null hash spends the same time and fails. */
    public boolean matches(String password, String storedHash) {
        boolean known = storedHash != null;
        byte[] hash = (known ? storedHash : decoy).getBytes(StandardCharsets.UTF_8);
        return verifyer.verify(password.getBytes(StandardCharsets.UTF_8), hash).verified && known;
    }
}
