package io.certflow.deployment.target;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * How one resource is reached: its parsed settings and its parsed credential, what a {@link ConfiguredTarget} of a
 * type that needs a credential parses a resource into.
 *
 * @param settings   the resource's settings
 * @param credential what its credential gives (an account, a key, passwords)
 * @param <S>        the parsed settings
 * @param <A>        the parsed credential
 */
public record Reach<S, A>(S settings, A credential) {

    /**
     * Parses both, naming the problems of both at once.
     *
     * @param type the target type, for the message
     * @throws InvalidTargetConfigException naming every problem of the settings and of the credential
     */
    public static <S, A> Reach<S, A> of(String type, Supplier<S> settings, Supplier<A> credential) {
        List<String> problems = new ArrayList<>();
        S parsedSettings = null;
        A parsedCredential = null;
        try {
            parsedSettings = settings.get();
        } catch (InvalidTargetConfigException e) {
            problems.addAll(e.problems());
        }
        try {
            parsedCredential = credential.get();
        } catch (InvalidTargetConfigException e) {
            problems.addAll(e.problems());
        }
        if (!problems.isEmpty()) {
            throw new InvalidTargetConfigException(type, problems);
        }
        return new Reach<>(parsedSettings, parsedCredential);
    }
}
