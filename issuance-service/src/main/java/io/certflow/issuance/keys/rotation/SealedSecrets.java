package io.certflow.issuance.keys.rotation;

import io.certflow.platform.secrets.SealedSecret;

import java.util.List;

/**
 * Every stored {@link SealedSecret} of the service (ACME account keys, certificate keys of versions and of
 * attempts), seen only as sealed blobs with their sealing context. Exists so that rotating the key-encryption
 * key is written once, whatever collection a secret lives in.
 */
public interface SealedSecrets {

    /** One stored secret: where it is, its sealing context and its sealed value. */
    record Stored(String kind, String documentId, String context, SealedSecret sealed) {
        @Override
        public String toString() {
            return kind + "/" + documentId + " (" + sealed.keyId() + ")";
        }
    }

    /** Up to {@code limit} secrets of each kind sealed under one of {@code keyIds}. */
    List<Stored> sealedUnder(java.util.Set<String> keyIds, int limit);

    /** How many secrets of each kind are sealed under a KEK other than {@code currentKeyId}. */
    java.util.Map<String, Long> countUnderOtherKeys(String currentKeyId);

    /**
     * Replaces {@code stored} by {@code resealed} only if the document still holds exactly {@code stored}'s
     * value (another writer may have changed it since); returns whether it did.
     */
    boolean replaceIfUnchanged(Stored stored, SealedSecret resealed);
}
