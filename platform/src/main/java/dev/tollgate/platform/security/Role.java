package dev.tollgate.platform.security;

/**
 * A user's role in its tenant, from most to least powerful. {@link #atLeast(Role)} is how
 * endpoints check permissions: owners do everything, viewers only read.
 */
public enum Role {
    OWNER, ADMIN, MEMBER, VIEWER;

    public boolean atLeast(Role required) {
        return ordinal() <= required.ordinal();
    }

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static Role parse(String value) {
        return Role.valueOf(value.trim().toUpperCase(java.util.Locale.ROOT));
    }
}
