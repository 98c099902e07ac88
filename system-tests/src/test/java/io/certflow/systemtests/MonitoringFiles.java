package io.certflow.systemtests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The monitoring files of {@code deploy/} as the tests read them: the PromQL expressions of the alert rules and of the
 * Grafana dashboard, and the metric names those expressions use, so that a test can hold them against what the
 * services really serve on {@code /actuator/prometheus}.
 */
final class MonitoringFiles {

    static final Path PROMETHEUS = Path.of("..", "deploy", "prometheus", "prometheus.yml");
    static final Path ALERTS = Path.of("..", "deploy", "prometheus", "alerts.yml");
    static final Path DASHBOARD = Path.of("..", "deploy", "grafana", "certflow-dashboard.json");

    /**
     * The metrics the console serves (it reads them off Kafka: dead letters not replayed yet), not the services; the
     * console's TopicDashboardIT checks them on its own {@code /actuator/prometheus}.
     */
    static final Set<String> CONSOLE_METRICS = Set.of("certflow_dead_letters_waiting");

    /** PromQL words that are not metric names. */
    private static final Set<String> PROMQL_WORDS = Set.of("sum", "max", "min", "avg", "count", "rate", "irate",
            "increase", "deriv", "delta", "by", "without", "and", "or", "unless", "on", "ignoring", "group_left",
            "group_right", "bool", "offset", "abs", "clamp_min", "clamp_max", "topk", "bottomk", "histogram_quantile",
            "max_over_time", "min_over_time", "avg_over_time", "absent", "vector", "time");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

    private MonitoringFiles() {
    }

    /** The {@code expr} of every rule of {@code alerts.yml}. */
    @SuppressWarnings("unchecked")
    static List<String> alertExpressions() throws IOException {
        List<String> expressions = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(ALERTS)) {
            Map<String, Object> file = new Yaml().load(reader);
            for (Map<String, Object> group : (List<Map<String, Object>>) file.get("groups")) {
                for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
                    expressions.add(String.valueOf(rule.get("expr")));
                }
            }
        }
        return expressions;
    }

    /** {@code alerts.yml} as YAML again, without the rules' annotations. */
    @SuppressWarnings("unchecked")
    static String alertRulesWithoutAnnotations() throws IOException {
        try (Reader reader = Files.newBufferedReader(ALERTS)) {
            Map<String, Object> file = new Yaml().load(reader);
            for (Map<String, Object> group : (List<Map<String, Object>>) file.get("groups")) {
                for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
                    rule.remove("annotations");
                }
            }
            return new Yaml().dump(file);
        }
    }

    /** The {@code expr} of every target of every panel of the dashboard. */
    static List<String> dashboardExpressions() throws IOException {
        List<String> expressions = new ArrayList<>();
        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                expressions.add(target.path("expr").asText());
            }
        }
        return expressions;
    }

    /**
     * The metric names a PromQL expression reads: what is left once strings, label matchers, ranges, grouping clauses,
     * numbers and PromQL's own words are taken out.
     */
    static Set<String> metricNames(String expression) {
        String bare = expression.replaceAll("\"[^\"]*\"", "")
                .replaceAll("\\{[^}]*}", " ")
                .replaceAll("\\[[^]]*]", " ")
                .replaceAll("\\b(by|without|on|ignoring)\\s*\\([^)]*\\)", " ");
        Set<String> names = new TreeSet<>();
        Matcher matcher = IDENTIFIER.matcher(bare);
        while (matcher.find()) {
            String word = matcher.group();
            boolean partOfANumber = matcher.start() > 0 && Character.isDigit(bare.charAt(matcher.start() - 1));
            if (!PROMQL_WORDS.contains(word) && !partOfANumber) {
                names.add(word);
            }
        }
        return names;
    }

    /** The metric names of every line of Prometheus' text format. */
    static Set<String> servedNames(String exposition) {
        Set<String> names = new TreeSet<>();
        exposition.lines().filter(line -> !line.isBlank() && !line.startsWith("#"))
                .forEach(line -> names.add(line.split("[{ ]", 2)[0]));
        return names;
    }
}
