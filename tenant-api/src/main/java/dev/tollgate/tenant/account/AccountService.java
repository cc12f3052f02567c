package dev.tollgate.tenant.account;

import dev.tollgate.platform.http.ApiException;
import dev.tollgate.platform.security.Role;
import dev.tollgate.platform.security.TenantUser;
import dev.tollgate.platform.tenant.KeyScopes;
import dev.tollgate.platform.tenant.Limits;
import dev.tollgate.tenant.key.CreatedKey;
import dev.tollgate.tenant.key.KeyStore;
import dev.tollgate.tenant.organization.TimeZones;
import dev.tollgate.tenant.web.Db;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/** Sign-up and login. */
@Singleton
public class AccountService {

    /** Name of the project every new tenant starts with. */
    public static final String DEFAULT_PROJECT = "default";

    private final Db db;
    private final PasswordHasher passwords;
    private final LoginThrottle throttle;
    private final AccessTokens tokens;
    private final KeyStore keys;

    public AccountService(Db db, PasswordHasher passwords, LoginThrottle throttle, AccessTokens tokens, KeyStore keys) {
        this.db = db;
        this.passwords = passwords;
        this.throttle = throttle;
        this.tokens = tokens;
        this.keys = keys;
    }

    /**
     * Creates a tenant (in the time zone given, else UTC) with its owner, a default project and a
     * first API key, in one transaction. Billing notices the new tenant on its own; nothing here calls Stripe.
     */
    public SignupResult signup(SignupCommand command) {
        String email = normalize(command.email());
        String hash = passwords.hash(command.password());
        UUID tenantId = UUID.randomUUID();
        UUID userId = UUID.randomUUID();
        UUID projectId = UUID.randomUUID();
        CreatedKey key = db.tx(c -> {
            if (emailTaken(c, email)) {
                throw emailConflict();
            }
            String zone = command.timeZone() == null ? TimeZones.DEFAULT : TimeZones.require(c, command.timeZone());
            Db.update(c, "insert into tenant (id, name, time_zone) values (?, ?, ?)", tenantId, command.organization().trim(), zone);
            insertUser(c, userId, email, hash);
            Db.update(c, "insert into membership (tenant_id, user_id, role) values (?, ?, ?)", tenantId, userId, Role.OWNER.wireName());
            Db.update(c, "insert into project (id, tenant_id, name) values (?, ?, ?)", projectId, tenantId, DEFAULT_PROJECT);
            return keys.insert(c, tenantId, projectId, new KeyStore.NewKey("default", KeyScopes.ALL, Limits.NONE, null, Map.of(), null));
        });
        AccessTokens.AccessToken token = tokens.issue(new TenantUser(userId, tenantId, Role.OWNER, email));
        return new SignupResult(tenantId, userId, projectId, key.view().id(), key.key(),
                token.accessToken(), token.tokenType(), token.expiresIn());
    }

    /** Checks the password (throttled per e-mail and client address) and issues an access token. */
    public AccessTokens.AccessToken login(LoginCommand command, String clientAddress) {
        String email = normalize(command.email());
        throttle.check(email, clientAddress);
        record Account(UUID userId, String hash, UUID tenantId, Role role) {
        }
        Account account = db.read(c -> {
            try (PreparedStatement ps = Db.prepare(c, """
                    select u.id, u.password_hash, m.tenant_id, m.role
                      from app_user u join membership m on m.user_id = u.id
                     where lower(u.email) = ?""", email);
                 ResultSet rs = ps.executeQuery()) {
                return rs.next()
                        ? new Account(rs.getObject(1, UUID.class), rs.getString(2), rs.getObject(3, UUID.class), Role.parse(rs.getString(4)))
                        : null;
            }
        });
        if (!passwords.matches(command.password(), account == null ? null : account.hash())) {
            throttle.failed(email, clientAddress);
            throw ApiException.unauthorized("Wrong e-mail or password");
        }
        throttle.succeeded(email);
        db.tx(c -> Db.update(c, "update app_user set last_login_at = now() where id = ?", account.userId()));
        return tokens.issue(new TenantUser(account.userId(), account.tenantId(), account.role(), email));
    }

    public static String normalize(String email) {
        return email.trim().toLowerCase(Locale.ROOT);
    }

    public static boolean emailTaken(Connection c, String email) throws SQLException {
        try (PreparedStatement ps = Db.prepare(c, "select 1 from app_user where lower(email) = ?", email);
             ResultSet rs = ps.executeQuery()) {
            return rs.next();
        }
    }

    public static void insertUser(Connection c, UUID userId, String email, String passwordHash) throws SQLException {
        Db.update(c, "insert into app_user (id, email, password_hash) values (?, ?, ?)", userId, email, passwordHash);
    }

    public static ApiException emailConflict() {
        return ApiException.conflict("An account with this e-mail address already exists", "email_taken");
    }
}
