package io.certflow.platform.config;

import io.certflow.platform.apply.IdempotentApply;
import io.certflow.platform.health.MongoPingHealthIndicator;
import io.certflow.platform.outbox.OutboxProperties;
import io.certflow.platform.outbox.OutboxRelay;
import io.certflow.platform.outbox.OutboxRelayThread;
import io.certflow.platform.outbox.PendingOutboxes;
import io.certflow.platform.outbox.PublishOnSave;
import io.certflow.platform.web.AccountArgumentResolver;
import io.certflow.platform.web.ApiKeyFilter;
import io.certflow.platform.web.ProblemErrorReportValve;
import io.certflow.platform.web.ProblemHandler;
import io.certflow.platform.web.RateLimiter;
import io.certflow.platform.web.RequestBodyLimitFilter;
import io.certflow.platform.web.SecurityProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.data.mongo.MongoDataAutoConfiguration;
import org.springframework.boot.autoconfigure.kafka.KafkaAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.mapping.MongoMappingContext;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.util.unit.DataSize;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import java.time.Clock;
import java.util.List;

/**
 * Switches the shared plumbing on in every service that has {@code platform} on its class path:
 * the outbox relay, idempotent apply, the clock, scheduling, API-key accounts and problem+json (the store's
 * parts only where MongoDB is on the class path).
 */
@AutoConfiguration(after = {MongoDataAutoConfiguration.class, KafkaAutoConfiguration.class},
        beforeName = "org.springframework.boot.actuate.autoconfigure.data.mongo.MongoHealthContributorAutoConfiguration")
@EnableScheduling
@EnableConfigurationProperties({SecurityProperties.class, OutboxProperties.class})
@Import(ProblemHandler.class)
public class PlatformAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    public Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    public FilterRegistrationBean<ApiKeyFilter> apiKeyFilter(SecurityProperties security) {
        // the system clock, not the Clock bean: tests that freeze the application's time must not freeze the buckets
        RateLimiter rateLimiter = new RateLimiter(security.rateLimit(), Clock.systemUTC());
        FilterRegistrationBean<ApiKeyFilter> registration =
                new FilterRegistrationBean<>(new ApiKeyFilter(security, rateLimiter));
        registration.setOrder(0);
        return registration;
    }

    /** Refuses bodies over {@code certflow.web.max-request-body} (256 KB unless configured) with a 413, after authentication. */
    @Bean
    public FilterRegistrationBean<RequestBodyLimitFilter> requestBodyLimitFilter(
            @Value("${certflow.web.max-request-body:256KB}") DataSize maxRequestBody) {
        FilterRegistrationBean<RequestBodyLimitFilter> registration =
                new FilterRegistrationBean<>(new RequestBodyLimitFilter(maxRequestBody.toBytes()));
        registration.setOrder(1);
        return registration;
    }

    /** Errors Tomcat answers itself (headers too large, a URI it cannot decode) as problem+json, not HTML. */
    @Bean
    public WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemErrorReports() {
        return factory -> factory.addContextCustomizers(context -> {
            if (context.getParent() instanceof org.apache.catalina.core.StandardHost host) {
                host.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
            }
        });
    }

    /**
     * The plumbing of a service that owns a store: idempotent apply, the outbox relay and the store's health.
     * Left out where there is no MongoDB (the console reads only Kafka and the services' APIs).
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.data.mongodb.core.MongoTemplate")
    static class Store {

        private static final Logger log = LoggerFactory.getLogger(PlatformAutoConfiguration.class);

        @Bean
        public IdempotentApply idempotentApply(MongoTemplate mongo) {
            return new IdempotentApply(mongo);
        }

        @Bean
        public OutboxRelay outboxRelay(MongoTemplate mongo, MongoMappingContext mappingContext,
                                       KafkaTemplate<String, String> eventKafkaTemplate,
                                       @Value("${spring.application.name}") String application) {
            return new OutboxRelay(mongo, mappingContext, eventKafkaTemplate, "/" + application);
        }

        @Bean
        public PendingOutboxes pendingOutboxes(OutboxProperties properties) {
            return new PendingOutboxes(properties.queueCapacity());
        }

        @Bean
        public OutboxRelayThread outboxRelayThread(OutboxRelay relay, PendingOutboxes pending, OutboxProperties properties,
                                                   Environment environment) {
            if (environment.containsProperty("certflow.outbox.poll-interval")) {
                log.warn("certflow.outbox.poll-interval is no longer read: events are published when saved, and "
                        + "certflow.outbox.scan-interval ({}) sets the recovery scan", properties.scanInterval());
            }
            return new OutboxRelayThread(relay, pending, properties.scanInterval());
        }

        @Bean
        @ConditionalOnBooleanProperty(name = "certflow.outbox.publish-on-save", matchIfMissing = true)
        public PublishOnSave outboxPublishOnSave(PendingOutboxes pending) {
            return new PublishOnSave(pending);
        }

        /** Replaces Spring Boot's Mongo health indicator (it has the same bean name) by a {@code ping}. */
        @Bean
        public MongoPingHealthIndicator mongoHealthIndicator(MongoTemplate mongo) {
            return new MongoPingHealthIndicator(mongo);
        }
    }

    /** Lets controllers declare an {@link io.certflow.platform.web.Account} parameter. */
    @Configuration(proxyBeanMethods = false)
    static class AccountResolution implements WebMvcConfigurer {
        @Override
        public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
            resolvers.add(new AccountArgumentResolver());
        }
    }
}
