package io.certflow.deployment;

import io.certflow.deployment.persistence.AccountMaintenance;
import io.certflow.deployment.persistence.IssuedCertificate;
import io.certflow.events.CertflowEvent;
import io.certflow.events.Topics;
import io.certflow.events.v1.CertificateIssued;
import io.certflow.events.v1.MaintenanceWindowsChanged;
import io.certflow.events.v1.OrderCancelled;
import io.certflow.testsupport.ServiceIT;
import io.certflow.testsupport.TopicProbe;
import io.certflow.testsupport.messaging.HostileKind;
import io.certflow.testsupport.messaging.HostileRecords;
import io.certflow.testsupport.messaging.HostileRecordsContract;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

import static org.awaitility.Awaitility.await;

/**
 * Every topic deployment-service consumes gets every kind of hostile record ({@link HostileRecords}): each is
 * dead-lettered or skipped and counted, an event of another account does not touch account-a's certificate,
 * and the valid event sent after them all is applied to its document. Maintenance windows are per account
 * (the event names no one else's aggregate), so that topic gets every kind but the other account's event.
 */
@ServiceIT
class HostileRecordsIT extends HostileRecordsContract<String> {

    private static final List<HostileKind> ALL_BUT_OTHER_ACCOUNT = Arrays.stream(HostileKind.values())
            .filter(k -> k != HostileKind.OTHER_ACCOUNT).toList();

    @Autowired
    TopicProbe topics;

    private static final Map<String, Function<String, Row>> ROWS = Map.of(
            Topics.CERTIFICATE_ISSUED, id -> onCertificate(id, issued(id, "0a02")),
            Topics.ORDER_CANCELLED, id -> onCertificate(id, new OrderCancelled(UUID.randomUUID(), Instant.now(),
                    "account-a", id, "ord-" + id, "asked", false)),
            Topics.MAINTENANCE_WINDOWS_CHANGED, id -> {
                MaintenanceWindowsChanged windows = new MaintenanceWindowsChanged(UUID.randomUUID(), Instant.now(),
                        "account-a", List.of(), System.currentTimeMillis());
                return new Row(windows, windows, ALL_BUT_OTHER_ACCOUNT, mongo -> {
                    AccountMaintenance kept = mongo.findById("account-a", AccountMaintenance.class);
                    return kept != null && kept.hasApplied(windows.eventId());
                });
            });

    @Override
    protected Map<String, Function<String, Row>> rows() {
        return ROWS;
    }

    @Override
    protected String existing() {
        return issuedCertificate();
    }

    @Override
    protected String ownerOf(String id) {
        return mongo.findById(id, IssuedCertificate.class).getAccountId();
    }

    private String issuedCertificate() {
        String id = "cert-" + UUID.randomUUID();
        CertificateIssued issued = issued(id, "0a01");
        topics.publish(issued);
        await().atMost(WAIT).until(() -> {
            IssuedCertificate certificate = mongo.findById(id, IssuedCertificate.class);
            return certificate != null && certificate.hasApplied(issued.eventId());
        });
        return id;
    }

    private static Row onCertificate(String id, CertflowEvent valid) {
        return Row.of(valid, mongo -> mongo.findById(id, IssuedCertificate.class).hasApplied(valid.eventId()));
    }

    private static CertificateIssued issued(String id, String serial) {
        Instant notBefore = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        return new CertificateIssued(UUID.randomUUID(), Instant.now(), "account-a", id, "att-" + serial, serial,
                "ff" + serial, notBefore, notBefore.plus(90, ChronoUnit.DAYS), List.of("www.hostile.example"), "CN=Test CA",
                "PEM", null);
    }
}
