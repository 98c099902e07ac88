package io.certflow.platform.web;

import org.springframework.core.MethodParameter;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

/** Gives controller methods the {@link Account} that {@link ApiKeyFilter} established. */
public class AccountArgumentResolver implements HandlerMethodArgumentResolver {

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return Account.class.equals(parameter.getParameterType());
    }

    @Override
    public Object resolveArgument(MethodParameter parameter, ModelAndViewContainer mavContainer,
                                  NativeWebRequest request, WebDataBinderFactory binderFactory) {
        Object account = request.getAttribute(ApiKeyFilter.ACCOUNT_ATTRIBUTE, RequestAttributes.SCOPE_REQUEST);
        if (account == null) {
            throw new UnauthorizedException("This endpoint needs an account: send X-Api-Key.");
        }
        return account;
    }
}
