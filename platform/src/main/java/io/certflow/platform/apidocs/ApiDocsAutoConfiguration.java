package io.certflow.platform.apidocs;

import io.certflow.platform.web.Account;
import io.certflow.platform.web.ApiKeyFilter;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.HeaderParameter;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

import java.util.stream.Stream;

/**
 * The published description of a service's API, so that every service serves it the same way: {@code /v3/api-docs}
 * (OpenAPI 3) and the Swagger UI at {@code /swagger-ui.html}, both without a key. Only {@code /api/**} is described
 * ({@code springdoc.paths-to-match}, a platform default): the service-to-service {@code /internal/**} API is not
 * published. The document is titled with {@code spring.application.name}, every operation needs the {@code X-Api-Key}
 * scheme, and every read names the optional {@code X-Certflow-Account} header of operator keys. The {@link Account}
 * a controller declares comes from the key, so it is no request parameter.
 */
@AutoConfiguration
@ConditionalOnClass(OpenAPI.class)
public class ApiDocsAutoConfiguration {

    /** Name of the security scheme and of the header parameter in {@code components}. */
    static final String API_KEY_SCHEME = "apiKey";
    static final String ACCOUNT_PARAMETER = "operatorAccount";

    static {
        SpringDocUtils.getConfig().addRequestWrapperToIgnore(Account.class);
    }

    @Bean
    public OpenAPI certflowOpenApi(@Value("${spring.application.name}") String application) {
        return new OpenAPI()
                .info(new Info().title(application).version("v1").description("The HTTP API of certflow's "
                        + application + ". Every call belongs to the account of its API key; errors are "
                        + "problem+json (RFC 9457). See docs/api.md and docs/security.md in the repository."))
                .components(new Components()
                        .addSecuritySchemes(API_KEY_SCHEME, new SecurityScheme().type(SecurityScheme.Type.APIKEY)
                                .in(SecurityScheme.In.HEADER).name(ApiKeyFilter.API_KEY_HEADER)
                                .description("An API key of the account (role OWNER, READ_ONLY or OPERATOR): "
                                        + "`./certflow api-key` mints one. Missing or wrong: 401."))
                        .addParameters(ACCOUNT_PARAMETER, new HeaderParameter().name(ApiKeyFilter.ACCOUNT_HEADER)
                                .required(false).schema(new StringSchema())
                                .description("Operator keys only, and then required: the account this read is "
                                        + "for. Operator keys only read (GET, HEAD); without this header: 400.")))
                .addSecurityItem(new SecurityRequirement().addList(API_KEY_SCHEME));
    }

    /** Adds the operator's account header to every read. */
    @Bean
    public OpenApiCustomizer operatorAccountHeader() {
        return api -> {
            if (api.getPaths() == null) {
                return;
            }
            api.getPaths().values().stream()
                    .flatMap(path -> Stream.of(path.getGet(), path.getHead()))
                    .filter(java.util.Objects::nonNull)
                    .forEach(ApiDocsAutoConfiguration::addAccountHeader);
        };
    }

    private static void addAccountHeader(Operation operation) {
        operation.addParametersItem(new Parameter().$ref("#/components/parameters/" + ACCOUNT_PARAMETER));
    }
}
