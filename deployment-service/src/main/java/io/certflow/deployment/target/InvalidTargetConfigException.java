package io.certflow.deployment.target;

import java.util.List;

/**
 * A resource's settings that its target cannot work with. The message names every problem, so a person
 * fixes them in one go; it never repeats the value of a secret setting (a credential).
 */
public class InvalidTargetConfigException extends RuntimeException {

    private final List<String> problems;

    public InvalidTargetConfigException(String type, List<String> problems) {
        super("invalid " + type + " resource config: " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    /** One sentence per problem. */
    public List<String> problems() {
        return problems;
    }
}
