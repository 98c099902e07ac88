package io.certflow.console.topics.web;

/**
 * The operator a dashboard request comes from, established by {@link OperatorKeyInterceptor}.
 *
 * @param keyName   the configured name of the key (never the key itself)
 * @param mayReplay whether this key may replay dead letters ({@code certflow.console.ops.replay-keys})
 */
public record Operator(String keyName, boolean mayReplay) {

    /** Request attribute holding the {@link Operator}. */
    public static final String ATTRIBUTE = "io.certflow.console.topics.web.Operator";
}
