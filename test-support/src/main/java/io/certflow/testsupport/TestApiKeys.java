package io.certflow.testsupport;

import java.util.Map;

/**
 * The API keys tests send and the SHA-256 hashes the services under test are configured with
 * ({@code certflow.security.api-keys.<name>.sha256}). The hashes are constants so that they can
 * stand in annotation attributes; {@code TestApiKeysTest} checks each against its key. In tests the
 * key's name is the key itself, for readability.
 */
public final class TestApiKeys {

    /** Owner of {@code account-a}. */
    public static final String KEY_A = "key-a";
    public static final String KEY_A_SHA256 = "f10f781241e2246678b6b45c857069208152a53863e47fac33f607ab405006f4";
    /** Owner of {@code account-b}. */
    public static final String KEY_B = "key-b";
    public static final String KEY_B_SHA256 = "a30534a53b23547377ddccbd1ac85a8a84c13db43493c16e55a6abc7b0eba634";
    /** Read-only key of {@code account-a}. */
    public static final String KEY_A_READ = "key-a-read";
    public static final String KEY_A_READ_SHA256 = "4f5ea9868358b8627c8fc05fb7d70b35e5b1f4fc542fbc45c07955bf9aacb5e8";
    /** Operator key: reads any account named in {@code X-Certflow-Account}. */
    public static final String KEY_OPERATOR = "key-operator";
    public static final String KEY_OPERATOR_SHA256 = "5d9d47423cdc63f96098a3551a19473e78929e7c0af50d86cc98a3a9d88b68f5";
    /** Owner of {@code account-c} (verification's automatic DNS). */
    public static final String KEY_C = "key-c";
    public static final String KEY_C_SHA256 = "49043acf9056472a214242c2d15f3087c2d024b0d39ee858c60712b2354f3926";
    /** Owner of {@code account-list} (order's and hosting's list tests). */
    public static final String KEY_LIST = "key-list";
    public static final String KEY_LIST_SHA256 = "bceff147c9ac98d3236ac085d020d2021e80dade3031f14bea7f53ee8387057f";
    /** Owner of {@code account-mw} (hosting's maintenance windows). */
    public static final String KEY_MW = "key-mw";
    public static final String KEY_MW_SHA256 = "38a96c435ead347fcb2fb4a5f6eeb87195d52e8c3b5bf2f8750911e8bbe615df";
    /** Owner of {@code account-inventory} (deployment's inventory). */
    public static final String KEY_INVENTORY = "key-inventory";
    public static final String KEY_INVENTORY_SHA256 = "4c87d00def24f4a063b0849c8cf133198b987eb0c563a10228fcf563e0ec4bf6";
    /** Owner of {@code account-windows} (deployment's maintenance windows). */
    public static final String KEY_WINDOWS = "key-windows";
    public static final String KEY_WINDOWS_SHA256 = "3ba34419891b8b9794147b8d5738fe5c6cbbd1866381619c2fbd33fdd24aaa31";

    private TestApiKeys() {
    }

    /** Every key and its hash. */
    public static Map<String, String> sha256ByKey() {
        return Map.of(KEY_A, KEY_A_SHA256, KEY_B, KEY_B_SHA256, KEY_A_READ, KEY_A_READ_SHA256,
                KEY_OPERATOR, KEY_OPERATOR_SHA256, KEY_C, KEY_C_SHA256, KEY_LIST, KEY_LIST_SHA256,
                KEY_MW, KEY_MW_SHA256, KEY_INVENTORY, KEY_INVENTORY_SHA256, KEY_WINDOWS, KEY_WINDOWS_SHA256);
    }

    /**
     * The properties that configure an owner key for an account (for {@code DynamicPropertyRegistry} or a
     * property map), e.g. {@code ownerKey(KEY_C, "account-c")}.
     */
    public static Map<String, String> ownerKey(String key, String account) {
        String sha256 = sha256ByKey().get(key);
        if (sha256 == null) {
            throw new IllegalArgumentException("no test hash for key " + key + ": add it to TestApiKeys");
        }
        return Map.of("certflow.security.api-keys." + key + ".sha256", sha256,
                "certflow.security.api-keys." + key + ".account", account);
    }
}
