package io.certflow.hosting;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * hosting-service: keeps each managed certificate alive for its paid term. It tracks the live
 * version, decides when the next renewal is due (and when to try again after a failure), and raises
 * {@code RenewalDue} for issuance-service.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class HostingServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(HostingServiceApplication.class, args);
    }
}
