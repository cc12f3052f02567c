package dev.tollgate.platform.secret;

import java.util.UUID;

/**
 * The one convention for sealing provider API keys in {@code provider_credential}: the key is
 * sealed with {@link SecretBox} under the associated data returned here, bound to the row's id,
 * so a sealed value copied to another row does not open. The tenant API seals, the gateway opens.
 */
public final class ProviderCredentialSeal {

    private ProviderCredentialSeal() {
    }

    public static String associatedData(UUID credentialId) {
        return "provider_credential:" + credentialId;
    }
}
