package io.certflow.platform.secrets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Named secrets as the bytes {@link EnvelopeEncryption#sealMap} seals: a flat JSON object of strings. */
final class SecretMaps {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<LinkedHashMap<String, String>> STRING_MAP = new TypeReference<>() {
    };

    private SecretMaps() {
    }

    static byte[] serialize(Map<String, String> secrets) {
        try {
            return JSON.writeValueAsString(secrets == null ? Map.of() : secrets).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the secrets cannot be serialized");
        }
    }

    static Map<String, String> parse(byte[] plaintext) {
        try {
            return JSON.readValue(plaintext, STRING_MAP);
        } catch (IOException e) {
            throw new SecretDecryptionException("the sealed secret is not a set of named secrets");
        }
    }
}
