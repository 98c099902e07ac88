package io.certflow.deployment.target.process;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a configured command such as {@code nginx -p /srv/nginx -c "/srv/my conf/nginx.conf" -s reload} into
 * arguments, with single and double quotes, so that commands run without a shell (no expansion, no
 * injection through a setting).
 */
public final class CommandLine {

    private CommandLine() {
    }

    /**
     * The arguments of a command line.
     *
     * @throws IllegalArgumentException if it is blank or a quote is not closed
     */
    public static List<String> split(String commandLine) {
        if (commandLine == null || commandLine.isBlank()) {
            throw new IllegalArgumentException("the command is empty");
        }
        List<String> args = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean inArg = false;
        char quote = 0;
        for (int i = 0; i < commandLine.length(); i++) {
            char c = commandLine.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else if (c == '\\' && quote == '"' && i + 1 < commandLine.length()
                        && (commandLine.charAt(i + 1) == '"' || commandLine.charAt(i + 1) == '\\')) {
                    current.append(commandLine.charAt(++i));
                } else {
                    current.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                inArg = true;
            } else if (c == '\\' && i + 1 < commandLine.length()) {
                current.append(commandLine.charAt(++i));
                inArg = true;
            } else if (Character.isWhitespace(c)) {
                if (inArg) {
                    args.add(current.toString());
                    current.setLength(0);
                    inArg = false;
                }
            } else {
                current.append(c);
                inArg = true;
            }
        }
        if (quote != 0) {
            throw new IllegalArgumentException("the command has an unclosed " + quote + " quote");
        }
        if (inArg) {
            args.add(current.toString());
        }
        return List.copyOf(args);
    }

    /**
     * A command line that {@link #split} reads back as {@code args}: an argument with white space, quotes, a
     * backslash or nothing in it is put in double quotes.
     */
    public static String join(List<String> args) {
        StringBuilder line = new StringBuilder();
        for (String arg : args) {
            if (!line.isEmpty()) {
                line.append(' ');
            }
            boolean plain = !arg.isEmpty() && arg.chars().noneMatch(c -> Character.isWhitespace(c)
                    || c == '"' || c == '\'' || c == '\\');
            line.append(plain ? arg : '"' + arg.replace("\\", "\\\\").replace("\"", "\\\"") + '"');
        }
        return line.toString();
    }
}
