package io.certflow.platform.sample;

import io.certflow.platform.web.Account;
import io.certflow.platform.web.NotFoundException;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import java.util.Map;

/** Reads sample orders of the caller's account. */
@RestController
public class SampleController {

    private final MongoTemplate mongo;

    public SampleController(MongoTemplate mongo) {
        this.mongo = mongo;
    }

    @GetMapping("/api/v1/sample-orders/{id}")
    public Map<String, Object> get(Account account, @PathVariable String id) {
        SampleOrder order = mongo.findById(id, SampleOrder.class);
        if (order == null || !order.getAccountId().equals(account.id())) {
            throw new NotFoundException("no order " + id);
        }
        return Map.of("id", order.getId(), "purchasesApplied", order.purchasesApplied());
    }

    @GetMapping("/internal/v1/ping")
    public Map<String, String> ping() {
        return Map.of("pong", "yes");
    }
}
