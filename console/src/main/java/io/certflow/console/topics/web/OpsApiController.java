package io.certflow.console.topics.web;

import io.certflow.console.topics.OpsProperties;
import io.certflow.console.topics.deadletter.DeadLetterReplayer;
import io.certflow.console.topics.deadletter.DeadLetterTopic;
import io.certflow.console.topics.deadletter.DeadLetters;
import io.certflow.console.topics.deadletter.Replay;
import io.certflow.console.topics.inspect.Overview;
import io.certflow.console.topics.inspect.TopicDetail;
import io.certflow.console.topics.inspect.TopicInspector;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** The dashboards' JSON API: topics, consumer groups, dead letters, and replaying one dead letter. */
@RestController
@RequestMapping("/ops/api")
public class OpsApiController {

    private final TopicInspector inspector;
    private final DeadLetters deadLetters;
    private final DeadLetterReplayer replayer;
    private final OpsProperties ops;

    public OpsApiController(TopicInspector inspector, DeadLetters deadLetters, DeadLetterReplayer replayer,
                            OpsProperties ops) {
        this.inspector = inspector;
        this.deadLetters = deadLetters;
        this.replayer = replayer;
        this.ops = ops;
    }

    /** Who is asking, and whether the page should offer Replay. */
    @GetMapping("/me")
    public Operator me(@RequestAttribute(Operator.ATTRIBUTE) Operator operator) {
        return operator;
    }

    @GetMapping("/overview")
    public Overview overview() {
        return inspector.overview();
    }

    @GetMapping("/topics/{topic}")
    public TopicDetail topic(@PathVariable String topic, @RequestParam(required = false) Integer limit) {
        int n = limit == null ? ops.latestEvents() : limit;
        if (n < 1 || n > ops.maxLatestEvents()) {
            throw new IllegalArgumentException("limit must be between 1 and " + ops.maxLatestEvents() + ".");
        }
        return inspector.topic(topic, n);
    }

    @GetMapping("/dead-letters/{topic}")
    public DeadLetterTopic deadLetters(@PathVariable String topic) {
        return deadLetters.topic(topic);
    }

    @PostMapping("/dead-letters/{topic}/records/{partition}/{offset}/replay")
    @ResponseStatus(HttpStatus.CREATED)
    public Replay replay(@PathVariable String topic, @PathVariable int partition, @PathVariable long offset,
                         @RequestAttribute(Operator.ATTRIBUTE) Operator operator) {
        return replayer.replay(topic, partition, offset, operator.keyName());
    }
}
