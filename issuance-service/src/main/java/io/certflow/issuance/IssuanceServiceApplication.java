package io.certflow.issuance;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * issuance-service: talks to the certificate authority over ACME, turns verified domains and due
 * renewals into issued certificates, and keeps their private keys under envelope encryption.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class IssuanceServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(IssuanceServiceApplication.class, args);
    }
}
