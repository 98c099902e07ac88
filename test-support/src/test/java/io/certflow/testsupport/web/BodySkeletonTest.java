package io.certflow.testsupport.web;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Bodies of the right shape are derived from a request record, so every field can be swapped for a wrong one. */
class BodySkeletonTest {

    enum Colour { RED, BLUE }

    record Inner(int count) {
    }

    record Request(String name, List<String> domains, Integer years, boolean flag, Colour colour, Instant at,
                   Map<String, String> settings, Inner inner) {
    }

    @Test
    void everyFieldOfTheRecordIsPresentWithAValueOfItsType() {
        assertThat(BodySkeleton.of(Request.class).toString()).startsWith("{\"name\":\"fuzz.example\",\"domains\":[\"fuzz.example\"],"
                + "\"years\":1,\"flag\":true,\"colour\":\"RED\",\"at\":\"").endsWith("\",\"settings\":{\"key\":\"value\"},"
                + "\"inner\":{\"count\":1}}");
    }
}
