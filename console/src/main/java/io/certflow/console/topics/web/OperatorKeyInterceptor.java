package io.certflow.console.topics.web;

import io.certflow.console.topics.OpsProperties;
import io.certflow.platform.web.ApiKeyFilter;
import io.certflow.platform.web.ApiKeys;
import io.certflow.platform.web.Role;
import io.certflow.platform.web.SecurityProperties;
import io.certflow.platform.web.UnauthorizedException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.servlet.HandlerInterceptor;

import java.util.Map;

/**
 * Lets only operators into the dashboards' API ({@code /ops/api/**}), which platform's {@link ApiKeyFilter}
 * does not guard: the {@code X-Api-Key} must be one of the configured keys (found with platform's
 * {@link ApiKeys#find}, in constant time over every configured hash) and of role
 * {@link Role#OPERATOR}. Reads are open to every operator key; a write (replaying a dead letter) only to the
 * keys named in {@code certflow.console.ops.replay-keys}. Refusals are thrown, so that platform's problem
 * handler answers them as problem+json: 401 without a valid key (never saying what was wrong), 403 for a key
 * that may not do it. A replay key that is not a configured operator key stops the console at start-up.
 */
public class OperatorKeyInterceptor implements HandlerInterceptor {

    private final SecurityProperties security;
    private final OpsProperties ops;

    public OperatorKeyInterceptor(SecurityProperties security, OpsProperties ops) {
        this.security = security;
        this.ops = ops;
        for (String name : ops.replayKeys()) {
            SecurityProperties.ApiKey key = security.apiKeys().get(name);
            if (key == null || key.role() != Role.OPERATOR) {
                throw new IllegalArgumentException("certflow.console.ops.replay-keys names '" + name + "', which is not "
                        + "a configured OPERATOR key (certflow.security.api-keys." + name + ".role=OPERATOR)");
            }
        }
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        Map.Entry<String, SecurityProperties.ApiKey> key = ApiKeys.find(security.apiKeys(), request.getHeader(ApiKeyFilter.API_KEY_HEADER));
        if (key == null) {
            throw new UnauthorizedException("A valid operator key is required in the X-Api-Key header.");
        }
        if (key.getValue().role() != Role.OPERATOR) {
            throw new ForbiddenException("The topic dashboards are for operators: this key is not an operator key.");
        }
        Operator operator = new Operator(key.getKey(), ops.replayKeys().contains(key.getKey()));
        boolean read = "GET".equals(request.getMethod()) || "HEAD".equals(request.getMethod());
        if (!read && !operator.mayReplay()) {
            throw new ForbiddenException("This operator key only reads. Replaying a dead letter needs a key named in "
                    + "certflow.console.ops.replay-keys.");
        }
        request.setAttribute(Operator.ATTRIBUTE, operator);
        return true;
    }
}
