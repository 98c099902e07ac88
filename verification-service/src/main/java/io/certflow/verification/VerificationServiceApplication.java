package io.certflow.verification;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * verification-service: decides whether certflow controls a domain's {@code _acme-challenge} name
 * (a one-time CNAME into the delegation zone), serves that zone with its own authoritative DNS
 * server, and publishes and withdraws the DNS-01 challenge TXT records there.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class VerificationServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(VerificationServiceApplication.class, args);
    }
}
