package io.certflow.hosting.persistence;

import io.certflow.hosting.managing.CertificateStatus;
import io.certflow.hosting.managing.ManagedCertificate;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Lists one account's certificates by the filters the API offers, newest first, a page at a time. Every
 * query starts with the account, so it runs on the account's indexes.
 */
@Component
public class CertificateSearch {

    private final MongoTemplate mongo;

    public CertificateSearch(MongoTemplate mongo) {
        this.mongo = mongo;
    }

    /**
     * What to list.
     *
     * @param accountId     the caller's account
     * @param statuses      only these statuses; empty: all
     * @param expiringUntil only live versions expiring at or before this moment (and not cancelled); null: any
     * @param failing       only certificates whose last renewal (or first issuance) failed
     * @param domain        only certificates covering this exact name (lower case); null: any
     */
    public record Filter(String accountId, Set<CertificateStatus> statuses, Instant expiringUntil, boolean failing,
                         String domain) {
    }

    /** One page, newest first; {@code size + 1} are read so the caller knows whether more follow. */
    public List<ManagedCertificate> find(Filter filter, int page, int size) {
        Query query = new Query(criteria(filter)).with(Sort.by(Sort.Order.desc("createdAt"), Sort.Order.desc("_id")))
                .skip((long) page * size).limit(size + 1);
        return mongo.find(query, ManagedCertificate.class);
    }

    /** How many match in all. */
    public long count(Filter filter) {
        return mongo.count(new Query(criteria(filter)), ManagedCertificate.class);
    }

    private static Criteria criteria(Filter filter) {
        List<Criteria> and = new ArrayList<>();
        and.add(Criteria.where("accountId").is(filter.accountId()));
        if (!filter.statuses().isEmpty()) {
            and.add(Criteria.where("status").in(filter.statuses().stream().map(Enum::name).toList()));
        }
        if (filter.expiringUntil() != null) {
            and.add(Criteria.where("notAfter").lte(filter.expiringUntil()));
            and.add(Criteria.where("cancelled").ne(true));
        }
        if (filter.failing()) {
            and.add(new Criteria().orOperator(Criteria.where("failedRenewals").gt(0),
                    Criteria.where("status").is(CertificateStatus.ISSUANCE_FAILED.name())));
        }
        if (filter.domain() != null) {
            and.add(Criteria.where("domains").is(filter.domain()));
        }
        return new Criteria().andOperator(and);
    }
}
