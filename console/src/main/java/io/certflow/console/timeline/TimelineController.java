package io.certflow.console.timeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.certflow.console.gateway.ServiceGateway;
import io.certflow.platform.web.ApiException;
import io.certflow.platform.web.ApiKeyFilter;
import io.certflow.platform.web.BadRequestException;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code GET /timeline/certificates/{certificateId}}: every event on the topics that touched a certificate, for its
 * owner. The console checks no key itself: it asks hosting-service for the certificate with the caller's own key
 * (and account header), and reads the topics only when that answers 200; any other answer (401, 403, 404…) is
 * passed back as it is. The order-service tells when it was ordered, so that only the events since are read.
 */
@RestController
public class TimelineController {

    /** The shape of certflow's ids; anything else could not name a certificate (and must not reach a URL). */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private final ServiceGateway gateway;
    private final CertificateEvents events;
    private final ObjectMapper json;

    public TimelineController(ServiceGateway gateway, CertificateEvents events, ObjectMapper json) {
        this.gateway = gateway;
        this.events = events;
        this.json = json;
    }

    @GetMapping("/timeline/certificates/{certificateId}")
    public ResponseEntity<?> timeline(@PathVariable String certificateId, HttpServletRequest request)
            throws IOException, InterruptedException {
        if (!ID.matcher(certificateId).matches()) {
            throw new BadRequestException("'" + certificateId + "' is not a certificate id.");
        }
        Map<String, String> caller = new HashMap<>();
        for (String header : new String[]{ApiKeyFilter.API_KEY_HEADER, ApiKeyFilter.ACCOUNT_HEADER}) {
            Optional.ofNullable(request.getHeader(header)).ifPresent(value -> caller.put(header, value));
        }
        ServiceGateway.Answer certificate = get("hosting", "v1/certificates/" + certificateId, caller);
        if (certificate.status() != 200) {
            HttpHeaders headers = new HttpHeaders();
            certificate.headers().forEach(headers::set);
            return ResponseEntity.status(certificate.status()).headers(headers).body(certificate.body());
        }
        JsonNode hosted = json.readTree(certificate.body());
        String orderId = text(hosted, "orderId");
        Instant orderedAt = instant(hosted, "createdAt");
        if (orderId != null && ID.matcher(orderId).matches()) {
            ServiceGateway.Answer order = get("order", "v1/orders/" + orderId, caller);
            if (order.status() == 200) {
                Instant placed = instant(json.readTree(order.body()), "createdAt");
                orderedAt = orderedAt == null || (placed != null && placed.isBefore(orderedAt)) ? placed : orderedAt;
            }
        }
        return ResponseEntity.ok(events.of(certificateId, orderId, orderedAt == null ? Instant.EPOCH : orderedAt));
    }

    private ServiceGateway.Answer get(String service, String path, Map<String, String> caller)
            throws InterruptedException {
        try {
            return gateway.forward(new ServiceGateway.Forward(service, "GET", path, null, caller, null));
        } catch (ServiceGateway.ServiceUnavailable e) {
            throw new Unavailable(e.status(), e.getMessage());
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || !value.isTextual() || value.asText().isBlank() ? null : value.asText();
    }

    private static Instant instant(JsonNode node, String field) {
        String text = text(node, field);
        try {
            return text == null ? null : Instant.parse(text);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** A service the timeline needs did not answer: its 502/503/504, naming it. */
    static class Unavailable extends ApiException {
        Unavailable(int status, String detail) {
            super(status, detail);
        }
    }
}
