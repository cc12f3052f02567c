package dev.tollgate.tenant.member;

import dev.tollgate.platform.http.ApiException;
import dev.tollgate.platform.mail.Mail;
import dev.tollgate.platform.mail.MailOutbox;
import dev.tollgate.platform.security.Role;
import dev.tollgate.platform.security.TenantUser;
import dev.tollgate.tenant.account.AccessTokens;
import dev.tollgate.tenant.account.AccountService;
import dev.tollgate.tenant.account.PasswordHasher;
import dev.tollgate.tenant.web.Caller;
import dev.tollgate.tenant.web.Db;
import dev.tollgate.tenant.web.TenantApiConfiguration;
import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Members and invitations of the caller's tenant, and acceptance of an invitation. */
@Singleton
public class MemberService {

    /** The role names accepted on the wire. */
    public static final String ROLES = "owner|admin|member|viewer";

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Db db;
    private final MailOutbox outbox;
    private final PasswordHasher passwords;
    private final AccessTokens tokens;
    private final TenantApiConfiguration configuration;

    public MemberService(Db db, MailOutbox outbox, PasswordHasher passwords, AccessTokens tokens,
                         TenantApiConfiguration configuration) {
        this.db = db;
        this.outbox = outbox;
        this.passwords = passwords;
        this.tokens = tokens;
        this.configuration = configuration;
    }

    public List<MemberView> list(Caller caller) {
        caller.require(Role.VIEWER);
        return db.read(c -> {
            List<MemberView> out = new ArrayList<>();
            try (PreparedStatement ps = Db.prepare(c, """
                    select u.id, u.email, m.role, m.created_at from membership m join app_user u on u.id = m.user_id
                     where m.tenant_id = ? order by m.created_at, u.id""", caller.tenantId());
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new MemberView(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), "active",
                            Db.instant(rs.getTimestamp(4)), null));
                }
            }
            try (PreparedStatement ps = Db.prepare(c, """
                    select id, email, role, created_at, expires_at from invite
                     where tenant_id = ? and accepted_at is null and revoked_at is null order by created_at, id""", caller.tenantId());
                 ResultSet rs = ps.executeQuery()) {
                Instant now = Instant.now();
                while (rs.next()) {
                    Instant expires = Db.instant(rs.getTimestamp(5));
                    out.add(new MemberView(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3),
                            now.isBefore(expires) ? "invited" : "expired", Db.instant(rs.getTimestamp(4)), expires));
                }
            }
            return out;
        });
    }

    /**
     * Invites {@code email} with a role (owners only may invite owners). A pending invitation
     * of the same address is replaced, so inviting again re-sends the link.
     */
    public MemberView invite(Caller caller, InviteCommand command) {
        caller.requireChange(Role.ADMIN);
        Role role = Role.parse(command.role());
        if (role == Role.OWNER) {
            caller.require(Role.OWNER);
        }
        String email = AccountService.normalize(command.email());
        String token = newToken();
        UUID id = UUID.randomUUID();
        Instant expires = Instant.now().plus(configuration.inviteTtl());
        return db.tx(c -> {
            String organization = lockTenant(c, caller.tenantId());
            if (isMember(c, caller.tenantId(), email)) {
                throw ApiException.conflict("This person is already a member", "already_member");
            }
            if (AccountService.emailTaken(c, email)) {
                throw ApiException.conflict("This e-mail address already has an account in another organization", "email_taken");
            }
            Db.update(c, """
                    update invite set revoked_at = now()
                     where tenant_id = ? and lower(email) = ? and accepted_at is null and revoked_at is null""", caller.tenantId(), email);
            Db.update(c, """
                    insert into invite (id, tenant_id, email, role, token_hash, invited_by, expires_at)
                    values (?, ?, ?, ?, ?, ?, ?)""", id, caller.tenantId(), email, role.wireName(), sha256(token), caller.userId(), expires);
            outbox.enqueue(invitationMail(caller, organization, email, role, token, expires));
            return new MemberView(id, email, role.wireName(), "invited", Instant.now(), expires);
        });
    }

    /** Changes the role of a member or of a pending invitation. */
    public MemberView changeRole(Caller caller, UUID id, RoleCommand command) {
        caller.requireChange(Role.ADMIN);
        Role newRole = Role.parse(command.role());
        return db.tx(c -> {
            lockTenant(c, caller.tenantId());
            Optional<Role> memberRole = memberRole(c, caller.tenantId(), id);
            if (memberRole.isPresent()) {
                Role current = memberRole.get();
                if (current == Role.OWNER || newRole == Role.OWNER) {
                    caller.require(Role.OWNER);
                }
                if (current == Role.OWNER && newRole != Role.OWNER && owners(c, caller.tenantId()) == 1) {
                    throw ApiException.conflict("An organization needs at least one owner; make someone else owner first", "last_owner");
                }
                Db.update(c, "update membership set role = ? where tenant_id = ? and user_id = ?", newRole.wireName(), caller.tenantId(), id);
                return member(c, caller.tenantId(), id);
            }
            MemberView invite = pendingInvite(c, caller.tenantId(), id).orElseThrow(MemberService::notFound);
            if (Role.parse(invite.role()) == Role.OWNER || newRole == Role.OWNER) {
                caller.require(Role.OWNER);
            }
            Db.update(c, "update invite set role = ? where tenant_id = ? and id = ?", newRole.wireName(), caller.tenantId(), id);
            return pendingInvite(c, caller.tenantId(), id).orElseThrow();
        });
    }

    /** Removes a member (their account goes with them) or withdraws a pending invitation. */
    public void remove(Caller caller, UUID id) {
        caller.require(Role.ADMIN);
        db.tx(c -> {
            lockTenant(c, caller.tenantId());
            Optional<Role> memberRole = memberRole(c, caller.tenantId(), id);
            if (memberRole.isPresent()) {
                if (memberRole.get() == Role.OWNER) {
                    caller.require(Role.OWNER);
                    if (owners(c, caller.tenantId()) == 1) {
                        throw ApiException.conflict("The last owner cannot be removed", "last_owner");
                    }
                }
                // a user belongs to exactly one tenant: leaving it frees the e-mail address
                return Db.update(c, "delete from app_user where id = ?", id);
            }
            pendingInvite(c, caller.tenantId(), id).orElseThrow(MemberService::notFound);
            return Db.update(c, "update invite set revoked_at = now() where tenant_id = ? and id = ?", caller.tenantId(), id);
        });
    }

    /** Accepts an invitation: creates the account with the chosen password and signs it in. */
    public AcceptedInvite accept(AcceptInviteCommand command) {
        byte[] tokenHash = sha256(command.token().trim());
        String passwordHash = passwords.hash(command.password());
        record Accepted(UUID tenantId, UUID userId, String email, Role role) {
        }
        Accepted accepted = db.tx(c -> {
            UUID inviteId;
            UUID tenantId;
            String email;
            Role role;
            try (PreparedStatement ps = Db.prepare(c, """
                    select id, tenant_id, email, role, expires_at, accepted_at, revoked_at from invite
                     where token_hash = ? for update""", (Object) tokenHash);
                 ResultSet rs = ps.executeQuery()) {
                if (!rs.next() || rs.getTimestamp(7) != null) {
                    throw ApiException.notFound("This invitation link is not valid (it may have been withdrawn)", "invite_not_found");
                }
                if (rs.getTimestamp(6) != null) {
                    throw ApiException.conflict("This invitation was already accepted; sign in instead", "invite_used");
                }
                if (!Instant.now().isBefore(rs.getTimestamp(5).toInstant())) {
                    throw new ApiException(HttpStatus.GONE, "invalid_request_error",
                            "This invitation has expired; ask for a new one", null, "invite_expired", null, null);
                }
                inviteId = rs.getObject(1, UUID.class);
                tenantId = rs.getObject(2, UUID.class);
                email = rs.getString(3);
                role = Role.parse(rs.getString(4));
            }
            if (AccountService.emailTaken(c, email)) {
                throw AccountService.emailConflict();
            }
            UUID userId = UUID.randomUUID();
            AccountService.insertUser(c, userId, email, passwordHash);
            Db.update(c, "insert into membership (tenant_id, user_id, role) values (?, ?, ?)", tenantId, userId, role.wireName());
            Db.update(c, "update invite set accepted_at = now() where id = ?", inviteId);
            return new Accepted(tenantId, userId, email, role);
        });
        AccessTokens.AccessToken token = tokens.issue(new TenantUser(accepted.userId(), accepted.tenantId(), accepted.role(), accepted.email()));
        return new AcceptedInvite(accepted.tenantId(), accepted.userId(), accepted.role().wireName(),
                token.accessToken(), token.tokenType(), token.expiresIn());
    }

    private Mail invitationMail(Caller caller, String organization, String email, Role role, String token, Instant expires) {
        String link = configuration.inviteUrl() + (configuration.inviteUrl().contains("?") ? "&" : "?")
                + "token=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
        String text = """
                %s invited you to join %s on Tollgate as %s.

                Accept the invitation and choose your password here:
                %s

                The link works once and expires on %s. If you did not expect this e-mail, ignore it.
                """.formatted(caller.user().email(), organization, role.wireName(), link, expires);
        return new Mail(caller.tenantId(), List.of(email), "You are invited to " + organization + " on Tollgate",
                text, null, "invite", null);
    }

    /** Locks the tenant row (serializing membership changes of one tenant) and returns its name. */
    private static String lockTenant(Connection c, UUID tenantId) throws SQLException {
        try (PreparedStatement ps = Db.prepare(c, "select name from tenant where id = ? for update", tenantId);
             ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                throw ApiException.unauthorized("This organization no longer exists");
            }
            return rs.getString(1);
        }
    }

    private static boolean isMember(Connection c, UUID tenantId, String email) throws SQLException {
        try (PreparedStatement ps = Db.prepare(c, """
                select 1 from membership m join app_user u on u.id = m.user_id where m.tenant_id = ? and lower(u.email) = ?""",
                tenantId, email);
             ResultSet rs = ps.executeQuery()) {
            return rs.next();
        }
    }

    private static Optional<Role> memberRole(Connection c, UUID tenantId, UUID userId) throws SQLException {
        try (PreparedStatement ps = Db.prepare(c, "select role from membership where tenant_id = ? and user_id = ?", tenantId, userId);
             ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(Role.parse(rs.getString(1))) : Optional.empty();
        }
    }

    private static MemberView member(Connection c, UUID tenantId, UUID userId) throws SQLException {
        try (PreparedStatement ps = Db.prepare(c, """
                select u.email, m.role, m.created_at from membership m join app_user u on u.id = m.user_id
                 where m.tenant_id = ? and m.user_id = ?""", tenantId, userId);
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return new MemberView(userId, rs.getString(1), rs.getString(2), "active", Db.instant(rs.getTimestamp(3)), null);
        }
    }

    private static Optional<MemberView> pendingInvite(Connection c, UUID tenantId, UUID id) throws SQLException {
        try (PreparedStatement ps = Db.prepare(c, """
                select email, role, created_at, expires_at from invite
                 where tenant_id = ? and id = ? and accepted_at is null and revoked_at is null""", tenantId, id);
             ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return Optional.empty();
            }
            Instant expires = Db.instant(rs.getTimestamp(4));
            return Optional.of(new MemberView(id, rs.getString(1), rs.getString(2),
                    Instant.now().isBefore(expires) ? "invited" : "expired", Db.instant(rs.getTimestamp(3)), expires));
        }
    }

    private static int owners(Connection c, UUID tenantId) throws SQLException {
        try (PreparedStatement ps = Db.prepare(c, "select count(*) from membership where tenant_id = ? and role = 'owner'", tenantId);
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static String newToken() {
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }

    static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static ApiException notFound() {
        return ApiException.notFound("No such member or invitation", "member_not_found");
    }
}
