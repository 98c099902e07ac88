package io.certflow.platform.config;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PlatformDefaultsTest {

    @Test
    void anIdleConsumersFetchIsHeldTwoSecondsUnlessTheServiceSaysOtherwise() {
        StandardEnvironment defaults = new StandardEnvironment();
        new PlatformDefaults().postProcessEnvironment(defaults, new SpringApplication());
        assertThat(defaults.getProperty("spring.kafka.consumer.fetch-max-wait")).isEqualTo("2s");

        StandardEnvironment own = new StandardEnvironment();
        own.getPropertySources().addFirst(new MapPropertySource("service",
                Map.of("spring.kafka.consumer.fetch-max-wait", "100ms")));
        new PlatformDefaults().postProcessEnvironment(own, new SpringApplication());
        assertThat(own.getProperty("spring.kafka.consumer.fetch-max-wait")).isEqualTo("100ms");
    }
}
