package io.certflow.issuance.persistence;

import io.certflow.platform.secrets.SealedSecret;
import io.certflow.issuance.keys.rotation.SealedSecrets;
import org.bson.Document;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * {@link SealedSecrets} over the three collections that hold sealed keys: {@code acme_accounts.accountKey},
 * {@code certificate_versions.privateKey} and {@code issuance_attempts.certificateKey}. Reads and writes only the
 * sealed sub-document (never the entity), so that a re-seal cannot undo another field's change.
 */
public class MongoSealedSecrets implements SealedSecrets {

    private record Kind(String name, String collection, String field, Function<Document, String> context) {
    }

    private static final List<Kind> KINDS = List.of(
            new Kind("acme-account-key", "acme_accounts", "accountKey",
                    d -> AcmeAccountRecord.keyContextOf(d.getString("_id"))),
            new Kind("certificate-version-key", "certificate_versions", "privateKey",
                    d -> IssuanceAttempt.keyContext(d.getString("certificateId"), d.getString("attemptId"))),
            new Kind("attempt-key", "issuance_attempts", "certificateKey",
                    d -> IssuanceAttempt.keyContext(d.getString("certificateId"), d.getString("_id"))));

    private final MongoTemplate mongo;

    public MongoSealedSecrets(MongoTemplate mongo) {
        this.mongo = mongo;
    }

    @Override
    public List<Stored> sealedUnder(Set<String> keyIds, int limit) {
        List<Stored> found = new ArrayList<>();
        if (keyIds.isEmpty()) {
            return found;
        }
        for (Kind kind : KINDS) {
            Query q = new Query(Criteria.where(kind.field() + ".keyId").in(keyIds)).limit(limit);
            for (Document d : mongo.find(q, Document.class, kind.collection())) {
                Document s = d.get(kind.field(), Document.class);
                found.add(new Stored(kind.name(), d.getString("_id"), kind.context().apply(d),
                        new SealedSecret(s.getString("scheme"), s.getString("keyId"), s.getString("wrappedDataKey"),
                                s.getString("ciphertext"))));
            }
        }
        return found;
    }

    @Override
    public Map<String, Long> countUnderOtherKeys(String currentKeyId) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (Kind kind : KINDS) {
            Query q = new Query(new Criteria().andOperator(Criteria.where(kind.field()).exists(true).ne(null),
                    Criteria.where(kind.field() + ".keyId").ne(currentKeyId)));
            counts.put(kind.name(), mongo.count(q, kind.collection()));
        }
        return counts;
    }

    @Override
    public boolean replaceIfUnchanged(Stored stored, SealedSecret resealed) {
        Kind kind = KINDS.stream().filter(k -> k.name().equals(stored.kind())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown kind " + stored.kind()));
        Query q = new Query(Criteria.where("_id").is(stored.documentId())
                .and(kind.field() + ".keyId").is(stored.sealed().keyId())
                .and(kind.field() + ".wrappedDataKey").is(stored.sealed().wrappedDataKey()));
        Document value = new Document("scheme", resealed.scheme()).append("keyId", resealed.keyId())
                .append("wrappedDataKey", resealed.wrappedDataKey()).append("ciphertext", resealed.ciphertext());
        return mongo.updateFirst(q, new Update().set(kind.field(), value), kind.collection()).getModifiedCount() == 1;
    }
}
