package io.certflow.devstack.bench;

import io.certflow.devstack.DevstackException;

import java.util.List;

/** Reading the values of a benchmark's {@code --option value} arguments, with errors that name the option. */
final class BenchOptions {

    private BenchOptions() {
    }

    /** The value after {@code option} at {@code args[i]}. */
    static String value(String bench, String option, List<String> args, int i) {
        if (i >= args.size()) {
            throw new DevstackException("bench " + bench + ": " + option + " needs a value");
        }
        return args.get(i);
    }

    /** The positive number after {@code option} at {@code args[i]}. */
    static int positive(String bench, String option, List<String> args, int i) {
        String value = value(bench, option, args, i);
        try {
            int v = Integer.parseInt(value);
            if (v > 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new DevstackException("bench " + bench + ": " + option + " needs a positive number, not " + value);
    }
}
