package io.certflow.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The contract of every v1 event: its golden JSON reads into the record and writes back to the
 * same JSON, satisfies the published JSON Schema, and the record refuses a value without a
 * required field.
 */
class EventContractTest {

    private static final ObjectMapper JSON = EventJson.mapper();

    @ParameterizedTest
    @EnumSource(EventType.class)
    void goldenJsonRoundTripsThroughTheRecord(EventType type) throws IOException {
        JsonNode golden = golden(type);

        CertflowEvent event = EventJson.read(JSON.writeValueAsBytes(golden), type.recordClass());
        JsonNode written = JSON.readTree(EventJson.write(event));

        assertThat(written).isEqualTo(golden);
        assertThat(event.eventId()).hasToString(golden.get("eventId").asText());
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void goldenJsonSatisfiesThePublishedSchema(EventType type) throws IOException {
        Set<ValidationMessage> errors = schema(type).validate(golden(type));

        assertThat(errors).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void schemaRequiresWhatTheRecordRequires(EventType type) throws IOException {
        for (String field : schemaRequired(type)) {
            ObjectNode incomplete = golden(type).deepCopy();
            incomplete.remove(field);
            byte[] value = JSON.writeValueAsBytes(incomplete);

            assertThat(schema(type).validate(incomplete)).as("schema without %s", field).isNotEmpty();
            assertThatThrownBy(() -> EventJson.read(value, type.recordClass()))
                    .as("record without %s", field)
                    .isInstanceOf(MalformedEventException.class)
                    .hasMessageContaining(field);
        }
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void unknownFieldsAreIgnoredSoV1CanGrow(EventType type) throws IOException {
        ObjectNode grown = golden(type).deepCopy();
        grown.put("aFieldFromTheFuture", "x");

        CertflowEvent event = EventJson.read(JSON.writeValueAsBytes(grown), type.recordClass());

        assertThat(JSON.readTree(EventJson.write(event))).isEqualTo(golden(type));
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void typesAreLogicalVersionedNamesOnTheirOwnTopic(EventType type) {
        assertThat(type.ceType()).matches("io\\.certflow\\.[a-z]+\\.[a-z]+\\.v1").doesNotContain("Event");
        assertThat(type.topic()).startsWith("certflow.");
        assertThat(Topics.ALL).contains(type.topic());
        assertThat(EventType.ofCeType(type.ceType())).contains(type);
        assertThat(EventType.of(type.recordClass())).isEqualTo(type);
        assertThat(type.recordClass().getSimpleName()).doesNotEndWith("Event");
    }

    @Test
    void headersCarryTheCloudEventsAttributes() throws IOException {
        CertflowEvent event = EventJson.read(JSON.writeValueAsBytes(golden(EventType.CERTIFICATE_ISSUED)),
                EventType.CERTIFICATE_ISSUED.recordClass());

        assertThat(CloudEventHeaders.of(event, "/issuance-service"))
                .containsEntry("ce_specversion", "1.0")
                .containsEntry("ce_id", "6f0c2b1e-8d4a-4c3b-9a57-2f1e0d9c8b7a")
                .containsEntry("ce_type", "io.certflow.certificate.issued.v1")
                .containsEntry("ce_source", "/issuance-service")
                .containsEntry("ce_time", "2026-11-27T10:15:30Z")
                .containsEntry("ce_subject", "cert-4d2e")
                .containsEntry("content-type", "application/json");
    }

    @Test
    void aCertificateIssuedWithoutRenewalWindowIsWhatOldProducersSend() throws IOException {
        ObjectNode old = golden(EventType.CERTIFICATE_ISSUED).deepCopy();
        old.remove(List.of("renewalWindowStart", "renewalWindowEnd", "renewalExplanationUrl"));

        io.certflow.events.v1.CertificateIssued event = EventJson.read(JSON.writeValueAsBytes(old),
                io.certflow.events.v1.CertificateIssued.class);

        assertThat(schema(EventType.CERTIFICATE_ISSUED).validate(old)).isEmpty();
        assertThat(event.hasRenewalWindow()).isFalse();
        assertThat(JSON.readTree(EventJson.write(event))).isEqualTo(old);
    }

    @Test
    void aRenewalWindowNeedsBothEndsInOrder() throws IOException {
        ObjectNode halfWindow = golden(EventType.CERTIFICATE_ISSUED).deepCopy();
        halfWindow.remove("renewalWindowEnd");
        ObjectNode backwards = golden(EventType.RENEWAL_WINDOW_CHANGED).deepCopy();
        backwards.put("windowEnd", "2026-11-27T00:00:00Z");

        assertThat(schema(EventType.CERTIFICATE_ISSUED).validate(halfWindow)).isNotEmpty();
        assertThatThrownBy(() -> EventJson.read(JSON.writeValueAsBytes(halfWindow), EventType.CERTIFICATE_ISSUED.recordClass()))
                .isInstanceOf(MalformedEventException.class).hasMessageContaining("renewalWindowEnd");
        assertThatThrownBy(() -> EventJson.read(JSON.writeValueAsBytes(backwards), EventType.RENEWAL_WINDOW_CHANGED.recordClass()))
                .isInstanceOf(MalformedEventException.class).hasMessageContaining("windowEnd");
    }

    @Test
    void aPurchaseMayLeaveItsDomainsForTheApplication() throws IOException {
        ObjectNode withoutNames = golden(EventType.PURCHASE_COMPLETED).deepCopy();
        withoutNames.remove("domains");
        ObjectNode emptyNames = golden(EventType.PURCHASE_COMPLETED).deepCopy();
        emptyNames.putArray("domains");

        io.certflow.events.v1.PurchaseCompleted absent = EventJson.read(JSON.writeValueAsBytes(withoutNames),
                io.certflow.events.v1.PurchaseCompleted.class);
        io.certflow.events.v1.PurchaseCompleted empty = EventJson.read(JSON.writeValueAsBytes(emptyNames),
                io.certflow.events.v1.PurchaseCompleted.class);

        assertThat(schema(EventType.PURCHASE_COMPLETED).validate(withoutNames)).isEmpty();
        assertThat(schema(EventType.PURCHASE_COMPLETED).validate(emptyNames)).isEmpty();
        assertThat(absent.domains()).isEmpty();
        assertThat(absent.namesDomains()).isFalse();
        assertThat(empty.namesDomains()).isFalse();
    }

    @Test
    void aPurchaseAcceptedWithoutStatusIsWhatOldProducersSend() throws IOException {
        ObjectNode old = golden(EventType.PURCHASE_ACCEPTED).deepCopy();
        old.remove("status");
        ObjectNode awaiting = golden(EventType.PURCHASE_ACCEPTED).deepCopy();
        awaiting.put("status", "AWAITING_APPLICATION");
        awaiting.putArray("domains");

        assertThat(schema(EventType.PURCHASE_ACCEPTED).validate(old)).isEmpty();
        assertThat(schema(EventType.PURCHASE_ACCEPTED).validate(awaiting)).isEmpty();
        assertThat(EventJson.read(JSON.writeValueAsBytes(old), io.certflow.events.v1.PurchaseAccepted.class).status())
                .isNull();
        assertThat(EventJson.read(JSON.writeValueAsBytes(awaiting), io.certflow.events.v1.PurchaseAccepted.class)
                .domains()).isEmpty();
    }

    @Test
    void notJsonIsAMalformedEvent() {
        byte[] value = "not json".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> EventJson.read(value, EventType.PURCHASE_COMPLETED.recordClass()))
                .isInstanceOf(MalformedEventException.class);
    }

    @Test
    void purchaseKeyIsTheOrderIdAndOthersTheCertificateId() throws IOException {
        CertflowEvent purchase = EventJson.read(JSON.writeValueAsBytes(golden(EventType.PURCHASE_COMPLETED)),
                EventType.PURCHASE_COMPLETED.recordClass());
        CertflowEvent due = EventJson.read(JSON.writeValueAsBytes(golden(EventType.RENEWAL_DUE)),
                EventType.RENEWAL_DUE.recordClass());

        assertThat(purchase.subject()).isEqualTo("billing-2026-000042");
        assertThat(due.subject()).isEqualTo("cert-4d2e");
    }

    @Test
    void maintenanceWindowsAreKeyedByTheAccountAndCarryTheirWholeList() throws IOException {
        io.certflow.events.v1.MaintenanceWindowsChanged changed = EventJson.read(
                JSON.writeValueAsBytes(golden(EventType.MAINTENANCE_WINDOWS_CHANGED)),
                io.certflow.events.v1.MaintenanceWindowsChanged.class);
        ObjectNode cleared = golden(EventType.MAINTENANCE_WINDOWS_CHANGED).deepCopy();
        cleared.putArray("windows");

        assertThat(changed.subject()).isEqualTo("acct-1");
        assertThat(CloudEventHeaders.of(changed, "/hosting-service")).containsEntry("ce_subject", "acct-1")
                .containsEntry("ce_type", "io.certflow.maintenancewindows.changed.v1");
        assertThat(changed.windows()).hasSize(2);
        assertThat(changed.windows().get(1).overMidnight()).isTrue();
        assertThat(changed.windows().get(0).describe()).isEqualTo("Sat, Sun 02:00–06:00 Europe/Berlin");
        assertThat(schema(EventType.MAINTENANCE_WINDOWS_CHANGED).validate(cleared)).as("no window: a valid list").isEmpty();
        assertThat(EventJson.read(JSON.writeValueAsBytes(cleared), io.certflow.events.v1.MaintenanceWindowsChanged.class)
                .windows()).isEmpty();
    }

    @Test
    void aMaintenanceWindowWithAProblemOrARevisionBelowOneIsRefused() throws IOException {
        ObjectNode badZone = golden(EventType.MAINTENANCE_WINDOWS_CHANGED).deepCopy();
        ((ObjectNode) badZone.get("windows").get(1)).put("timeZone", "Mars/Olympus");
        ObjectNode noDays = golden(EventType.MAINTENANCE_WINDOWS_CHANGED).deepCopy();
        ((ObjectNode) noDays.get("windows").get(0)).putArray("days");
        ObjectNode lateHour = golden(EventType.MAINTENANCE_WINDOWS_CHANGED).deepCopy();
        ((ObjectNode) lateHour.get("windows").get(0)).put("start", "25:00:00");
        ObjectNode revisionZero = golden(EventType.MAINTENANCE_WINDOWS_CHANGED).deepCopy();
        revisionZero.put("revision", 0);
        Class<? extends CertflowEvent> type = EventType.MAINTENANCE_WINDOWS_CHANGED.recordClass();

        assertThatThrownBy(() -> EventJson.read(JSON.writeValueAsBytes(badZone), type))
                .isInstanceOf(MalformedEventException.class).hasMessageContaining("windows[1].timeZone");
        assertThat(schema(EventType.MAINTENANCE_WINDOWS_CHANGED).validate(noDays)).isNotEmpty();
        assertThatThrownBy(() -> EventJson.read(JSON.writeValueAsBytes(noDays), type))
                .isInstanceOf(MalformedEventException.class).hasMessageContaining("windows[0].days");
        assertThat(schema(EventType.MAINTENANCE_WINDOWS_CHANGED).validate(lateHour)).isNotEmpty();
        assertThatThrownBy(() -> EventJson.read(JSON.writeValueAsBytes(lateHour), type))
                .isInstanceOf(MalformedEventException.class);
        assertThat(schema(EventType.MAINTENANCE_WINDOWS_CHANGED).validate(revisionZero)).isNotEmpty();
        assertThatThrownBy(() -> EventJson.read(JSON.writeValueAsBytes(revisionZero), type))
                .isInstanceOf(MalformedEventException.class).hasMessageContaining("revision");
    }

    private static ObjectNode golden(EventType type) throws IOException {
        try (InputStream in = resource("/golden/" + type.recordClass().getSimpleName() + ".json")) {
            return (ObjectNode) JSON.readTree(in);
        }
    }

    private static JsonSchema schema(EventType type) throws IOException {
        try (InputStream in = resource(schemaPath(type))) {
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
        }
    }

    private static Set<String> schemaRequired(EventType type) throws IOException {
        try (InputStream in = resource(schemaPath(type))) {
            JsonNode schema = JSON.readTree(in);
            Set<String> required = new java.util.TreeSet<>();
            schema.get("required").forEach(n -> required.add(n.asText()));
            return required.stream().collect(Collectors.toSet());
        }
    }

    private static String schemaPath(EventType type) {
        return "/io/certflow/events/v1/schema/" + type.recordClass().getSimpleName() + ".json";
    }

    private static InputStream resource(String path) {
        InputStream in = EventContractTest.class.getResourceAsStream(path);
        assertThat(in).as(path).isNotNull();
        return in;
    }
}
