package io.certflow.console.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The console's only way to the services: {@code /svc/<service>/<path>} (any method) is answered by
 * {@code <service>}'s {@code /api/<path>}, with the caller's own API key. The console checks no key itself — each
 * service does, so a user sees and does exactly what their key allows. An unknown service is a 404, a path that
 * tries to leave {@code /api/} a 400, a service that is down a 503 (502, 504) naming it: always problem+json.
 */
@RestController
public class GatewayController {
    static final String PREFIX = "/svc/";
    /** Dot segments, encoded dots and slashes, backslashes and empty segments could climb out of {@code /api/}. */
    private static final Pattern UNSAFE_PATH = Pattern.compile("(^|/)\\.{1,2}(/|$)|%2e|%2f|%5c|\\\\|//|;",
            Pattern.CASE_INSENSITIVE);

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ServiceGateway gateway;

    public GatewayController(ServiceGateway gateway) {
        this.gateway = gateway;
    }

    @RequestMapping(PREFIX + "{service}/**")
    public ResponseEntity<byte[]> forward(@PathVariable String service, HttpServletRequest request)
            throws IOException, InterruptedException {
        if (!gateway.knows(service)) {
            return problem(HttpStatus.NOT_FOUND, "Unknown service",
                    "There is no service '" + service + "'; the console knows " + String.join(", ", gateway.services()) + ".");
        }
        String uri = request.getRequestURI().substring(request.getContextPath().length());
        String apiPath = uri.substring(Math.min(uri.length(), (PREFIX + service + "/").length()));
        if (apiPath.isEmpty() || UNSAFE_PATH.matcher(apiPath).find()) {
            return problem(HttpStatus.BAD_REQUEST, "Bad path",
                    "The path after /svc/" + service + "/ must name an API resource, such as v1/certificates.");
        }
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (String name : Collections.list(request.getHeaderNames())) {
            headers.put(name.toLowerCase(Locale.ROOT), request.getHeader(name));
        }
        byte[] body = request.getInputStream().readAllBytes();
        ServiceGateway.Answer answer = gateway.forward(new ServiceGateway.Forward(service, request.getMethod(), apiPath,
                request.getQueryString(), headers, body));
        HttpHeaders out = new HttpHeaders();
        answer.headers().forEach(out::set);
        return ResponseEntity.status(answer.status()).headers(out).body(answer.body());
    }

    @ExceptionHandler(ServiceGateway.ServiceUnavailable.class)
    ResponseEntity<byte[]> unavailable(ServiceGateway.ServiceUnavailable e) {
        HttpStatus status = HttpStatus.valueOf(e.status());
        return problem(status, status == HttpStatus.SERVICE_UNAVAILABLE ? "Service unavailable" : status.getReasonPhrase(),
                e.getMessage());
    }

    private static ResponseEntity<byte[]> problem(HttpStatus status, String title, String detail) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", title);
        body.put("status", status.value());
        body.put("detail", detail);
        try {
            return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .body(JSON.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings always serialises", e);
        }
    }
}
