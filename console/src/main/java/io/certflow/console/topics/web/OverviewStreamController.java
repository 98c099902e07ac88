package io.certflow.console.topics.web;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * {@code GET /ops/api/stream}: the live overview as Server-Sent Events. The operator key travels in the
 * {@code X-Api-Key} header like every other dashboard request (the page reads the stream with {@code fetch()},
 * because a browser's {@code EventSource} cannot send headers), never in the URL.
 */
@RestController
public class OverviewStreamController {

    private final OverviewStream stream;

    public OverviewStreamController(OverviewStream stream) {
        this.stream = stream;
    }

    @GetMapping(path = "/ops/api/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    public SseEmitter stream() {
        return stream.subscribe();
    }
}
