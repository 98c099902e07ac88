package io.certflow.testsupport.web;

import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpMethod;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One HTTP endpoint of a running service as its handler mapping declares it: what the fuzzer needs to
 * build requests against it. Read from the application's {@link RequestMappingHandlerMapping}, so an
 * endpoint added tomorrow is fuzzed without anyone listing it.
 *
 * @param method       the HTTP method
 * @param pattern      the path pattern, such as {@code /api/v1/orders/{orderId}}
 * @param pathVariables the names of the pattern's variables, in order
 * @param queryParameters the query parameters the handler reads (name → Java type), from {@code @RequestParam}
 *                        and from the components of a record bound from the query
 * @param bodyType     the type of the {@code @RequestBody} parameter, or {@code null} if the endpoint reads none
 * @param consumes     the media types the endpoint declares it consumes (empty: JSON, as Spring defaults)
 */
public record Endpoint(HttpMethod method, String pattern, List<String> pathVariables, Map<String, Class<?>> queryParameters,
                       Class<?> bodyType, Set<String> consumes) {

    private static final Pattern VARIABLE = Pattern.compile("\\{([^}:]+)(?::[^}]*)?}");

    /** Every {@code /api/**} and {@code /internal/**} endpoint of the mapping, in a stable order. */
    public static List<Endpoint> of(RequestMappingHandlerMapping mapping) {
        List<Endpoint> endpoints = new ArrayList<>();
        for (Map.Entry<RequestMappingInfo, HandlerMethod> entry : mapping.getHandlerMethods().entrySet()) {
            RequestMappingInfo info = entry.getKey();
            Set<String> patterns = info.getPatternValues();
            Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
            for (String pattern : patterns) {
                if (!pattern.startsWith("/api/") && !pattern.startsWith("/internal/")) {
                    continue;
                }
                for (RequestMethod method : methods.isEmpty() ? Set.of(RequestMethod.GET) : methods) {
                    endpoints.add(of(HttpMethod.valueOf(method.name()), pattern, entry.getValue(),
                            info.getConsumesCondition().getConsumableMediaTypes().stream()
                                    .map(Object::toString).collect(Collectors.toSet())));
                }
            }
        }
        endpoints.sort(Comparator.comparing(Endpoint::pattern).thenComparing(e -> e.method().name()));
        return endpoints;
    }

    private static Endpoint of(HttpMethod method, String pattern, HandlerMethod handler, Set<String> consumes) {
        List<String> variables = new ArrayList<>();
        Matcher matcher = VARIABLE.matcher(pattern);
        while (matcher.find()) {
            variables.add(matcher.group(1));
        }
        Map<String, Class<?>> query = new LinkedHashMap<>();
        Class<?> body = null;
        for (MethodParameter parameter : handler.getMethodParameters()) {
            parameter.initParameterNameDiscovery(new DefaultParameterNameDiscoverer());
            Class<?> type = parameter.getParameterType();
            if (parameter.hasParameterAnnotation(RequestBody.class)) {
                body = type;
            } else if (parameter.hasParameterAnnotation(RequestParam.class)) {
                RequestParam param = parameter.getParameterAnnotation(RequestParam.class);
                String name = !param.name().isEmpty() ? param.name() : parameter.getParameterName();
                if (name != null) {
                    query.put(name, type);
                }
            } else if (!parameter.hasParameterAnnotation(PathVariable.class) && type.isRecord()
                    && parameter.getParameterAnnotations().length == 0) {
                for (RecordComponent component : type.getRecordComponents()) {
                    query.put(component.getName(), component.getType());
                }
            }
        }
        return new Endpoint(method, pattern, List.copyOf(variables), Map.copyOf(query), body, Set.copyOf(consumes));
    }

    /** Whether the endpoint reads a request body. */
    public boolean readsBody() {
        return bodyType != null;
    }

    /** Whether the endpoint belongs to the service-to-service API (credential {@code X-Internal-Token}). */
    public boolean internal() {
        return pattern.startsWith("/internal/");
    }

    @Override
    public String toString() {
        return method + " " + pattern;
    }
}
