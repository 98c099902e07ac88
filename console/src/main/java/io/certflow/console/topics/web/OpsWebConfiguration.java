package io.certflow.console.topics.web;

import io.certflow.console.topics.OpsProperties;
import io.certflow.platform.web.SecurityProperties;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Puts {@link OperatorKeyInterceptor} in front of the dashboards' API, and sends {@code /ops} to the page. The page
 * itself ({@code /ops/index.html} and its scripts) is open: it holds no data and asks for the key.
 */
@Configuration(proxyBeanMethods = false)
public class OpsWebConfiguration implements WebMvcConfigurer {

    private final SecurityProperties security;
    private final OpsProperties ops;

    public OpsWebConfiguration(SecurityProperties security, OpsProperties ops) {
        this.security = security;
        this.ops = ops;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new OperatorKeyInterceptor(security, ops)).addPathPatterns("/ops/api/**");
    }

    @Override
    public void addViewControllers(ViewControllerRegistry registry) {
        registry.addRedirectViewController("/ops", "/ops/index.html");
        registry.addRedirectViewController("/ops/", "/ops/index.html");
    }
}
