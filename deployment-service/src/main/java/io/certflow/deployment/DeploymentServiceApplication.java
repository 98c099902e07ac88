package io.certflow.deployment;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * deployment-service: where a certificate goes and the proof that it got there. It keeps resources and
 * deployment tasks, deploys every issued version of a certificate whose task once succeeded, reads back
 * what each resource serves, and announces the outcome as {@code DeploymentCompleted}.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class DeploymentServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(DeploymentServiceApplication.class, args);
    }
}
