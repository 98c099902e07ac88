package io.certflow.deployment.persistence;

import io.certflow.deployment.target.CloudCertificateLedger;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.util.Date;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The {@link CloudCertificateLedger} in the service's store ({@code cloud_certificates}, one document per credential
 * and serial, its id the pair, so a second instance's record of the same upload collides instead of doubling).
 * Concurrent uploads of one version within this instance wait for the first.
 */
@Component
public class MongoCloudCertificateLedger implements CloudCertificateLedger {

    private static final Logger log = LoggerFactory.getLogger(MongoCloudCertificateLedger.class);
    private static final String COLLECTION = "cloud_certificates";

    private final MongoTemplate mongo;
    private final Clock clock;
    private final ConcurrentHashMap<String, Object> uploading = new ConcurrentHashMap<>();

    public MongoCloudCertificateLedger(MongoTemplate mongo, Clock clock) {
        this.mongo = mongo;
        this.clock = clock;
    }

    @Override
    public String uploadOnce(String credentialId, String serialNumber, Supplier<String> upload) {
        String key = credentialId + "/" + serialNumber;
        synchronized (uploading.computeIfAbsent(key, k -> new Object())) {
            try {
                Document known = mongo.findById(key, Document.class, COLLECTION);
                if (known != null) {
                    return known.getString("cloudCertificateId");
                }
                String cloudId = upload.get();
                try {
                    mongo.insert(new Document("_id", key).append("credentialId", credentialId)
                            .append("serialNumber", serialNumber).append("cloudCertificateId", cloudId)
                            .append("uploadedAt", Date.from(clock.instant())), COLLECTION);
                    return cloudId;
                } catch (DuplicateKeyException e) {
                    Document winner = mongo.findById(key, Document.class, COLLECTION);
                    log.warn("version {} was uploaded for credential {} by another instance at the same time; {} is used,"
                            + " {} is left in the cloud's store", serialNumber, credentialId,
                            winner == null ? cloudId : winner.getString("cloudCertificateId"), cloudId);
                    return winner == null ? cloudId : winner.getString("cloudCertificateId");
                }
            } finally {
                uploading.remove(key);
            }
        }
    }

    @Override
    public List<Upload> beyondNewest(String credentialId, int keep) {
        List<Document> all = mongo.find(new Query(Criteria.where("credentialId").is(credentialId))
                .with(Sort.by(Sort.Order.asc("uploadedAt"))), Document.class, COLLECTION);
        return all.subList(0, Math.max(0, all.size() - keep)).stream()
                .map(d -> new Upload(d.getString("serialNumber"), d.getString("cloudCertificateId"))).toList();
    }

    @Override
    public void forget(String credentialId, String cloudCertificateId) {
        mongo.remove(new Query(Criteria.where("credentialId").is(credentialId).and("cloudCertificateId").is(cloudCertificateId)),
                COLLECTION);
    }
}
