package io.certflow.testsupport.web;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One request the fuzzer sends: the raw (not yet encoded) path variable values, query parameters,
 * headers and body, with a label saying what in it is hostile. Immutable, so a failing request can be
 * simplified one part at a time ({@link EndpointFuzzer} shrinks it).
 *
 * @param endpoint       the endpoint it targets
 * @param pathValues     the raw value of each path variable, in the pattern's order
 * @param query          query parameters, in order, repeats allowed ({@code [name, value]} pairs)
 * @param headers        request headers (credential, {@code Content-Type}, {@code Accept}…)
 * @param body           the body, or {@code null} for none
 * @param label          what is hostile about it, for the failure report
 * @param expectedStatus the one status the answer must have (401 without a credential, 413 for a too
 *                       large body), or {@code null} when any 2xx or 4xx will do
 */
public record FuzzRequest(Endpoint endpoint, List<String> pathValues, List<List<String>> query,
                          Map<String, String> headers, byte[] body, String label, Integer expectedStatus) {

    public FuzzRequest {
        pathValues = List.copyOf(pathValues);
        query = List.copyOf(query);
        headers = Map.copyOf(headers);
    }

    FuzzRequest withPathValues(List<String> values) {
        return new FuzzRequest(endpoint, values, query, headers, body, label, expectedStatus);
    }

    FuzzRequest withQuery(List<List<String>> parameters) {
        return new FuzzRequest(endpoint, pathValues, parameters, headers, body, label, expectedStatus);
    }

    FuzzRequest withHeaders(Map<String, String> values) {
        return new FuzzRequest(endpoint, pathValues, query, values, body, label, expectedStatus);
    }

    FuzzRequest withBody(byte[] bytes) {
        return new FuzzRequest(endpoint, pathValues, query, headers, bytes, label, expectedStatus);
    }

    FuzzRequest withHeader(String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(headers);
        if (value == null) {
            copy.remove(name);
        } else {
            copy.put(name, value);
        }
        return withHeaders(copy);
    }

    /** The request as a reader of a failure report wants it: short, printable, secrets masked by the caller. */
    @Override
    public String toString() {
        String text = body == null ? "(none)" : new String(body, StandardCharsets.UTF_8);
        return endpoint + " [" + label + "] path=" + abbreviate(pathValues.toString()) + " query="
                + abbreviate(query.toString()) + " headers=" + headers.keySet() + " content-type="
                + headers.get("Content-Type") + " body(" + (body == null ? 0 : body.length) + " bytes)="
                + abbreviate(text);
    }

    private static String abbreviate(String text) {
        String printable = text.replaceAll("\\p{Cntrl}", "?");
        return printable.length() <= 200 ? printable : printable.substring(0, 200) + "…(" + printable.length() + " chars)";
    }
}
