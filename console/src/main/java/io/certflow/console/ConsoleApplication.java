package io.certflow.console;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * certflow's web console: the pages certificate owners use (their certificates, buying, verifying, deploying,
 * each certificate's timeline) and the topic dashboards operators watch, served at one address. It owns no
 * data: the owner pages go through {@code gateway/} to the services' APIs with the user's own API key, and the
 * dashboards ({@code topics/}) read Kafka.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class ConsoleApplication {

    public static void main(String[] args) {
        SpringApplication.run(ConsoleApplication.class, args);
    }
}
