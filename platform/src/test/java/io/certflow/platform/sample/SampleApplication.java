package io.certflow.platform.sample;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** A minimal service built on the platform, to test the plumbing as a service uses it. */
@SpringBootApplication
public class SampleApplication {
}
