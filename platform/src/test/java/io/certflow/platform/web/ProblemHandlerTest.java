package io.certflow.platform.web;

import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.multipart.MultipartException;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The caller's mistakes the fuzzer of every API found, each as a problem+json 4xx and never a 500: a
 * body of the wrong kind, unreadable or too large, parameters of the wrong type or missing, unknown paths.
 */
class ProblemHandlerTest {

    private static final int LIMIT = 8192;

    private final MockMvc mvc = MockMvcBuilders.standaloneSetup(new Echo()).setControllerAdvice(new ProblemHandler())
            .addFilters(new RequestBodyLimitFilter(LIMIT)).build();

    @Test
    void aMultipartContentTypeOnAJsonEndpointIsABadRequest() throws Exception {
        // what Spring's multipart resolver throws when the body is not multipart (MockMvc has no resolver)
        ResponseEntity<ProblemDetail> answer = new ProblemHandler()
                .multipart(new MultipartException("Failed to parse multipart servlet request"));

        assertThat(answer.getStatusCode().value()).isEqualTo(400);
        assertThat(answer.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(answer.getBody().getDetail()).isEqualTo("The request body could not be read as multipart/form-data; send JSON.");
    }

    @Test
    void aBodyDeclaredLargerThanTheLimitIsRefusedBeforeItIsRead() throws Exception {
        problem(mvc.perform(post("/things").contentType(MediaType.APPLICATION_JSON)
                .content("{\"name\":\"" + "a".repeat(LIMIT) + "\"}")), 413)
                .andExpect(jsonPath("$.detail").value("The request body is larger than 8192 bytes."));
    }

    @Test
    void aBodyOfUndeclaredLengthIsCutOffAtTheLimit() throws Exception {
        byte[] body = ("{\"name\":\"" + "a".repeat(4 * LIMIT) + "\"}").getBytes(StandardCharsets.UTF_8);
        problem(mvc.perform(post("/things").contentType(MediaType.APPLICATION_JSON).with(request -> {
            request.setContent(null); // no Content-Length: read as a stream, as a chunked body is
            InputStream stream = new SequenceInputStream(new ByteArrayInputStream(body), InputStream.nullInputStream());
            return new org.springframework.mock.web.MockHttpServletRequest(request.getServletContext(), "POST", "/things") {
                {
                    setContentType("application/json");
                }

                @Override
                public jakarta.servlet.ServletInputStream getInputStream() {
                    return new org.springframework.mock.web.DelegatingServletInputStream(stream);
                }
            };
        })), 413);
    }

    @Test
    void aBodyWithinTheLimitIsRead() throws Exception {
        mvc.perform(post("/things").contentType(MediaType.APPLICATION_JSON).content("{\"name\":\"a\"}"))
                .andExpect(status().isOk()).andExpect(jsonPath("$.name").value("a"));
    }

    @Test
    void unreadableBodiesAreBadRequests() throws Exception {
        for (String body : List.of("", "not json", "{\"name\":", "[".repeat(1_500), "{\"name\":{\"$gt\":\"\"}}")) {
            problem(mvc.perform(post("/things").contentType(MediaType.APPLICATION_JSON).content(body)), 400);
        }
    }

    @Test
    void aContentTypeTheEndpointDoesNotReadIsUnsupported() throws Exception {
        problem(mvc.perform(post("/things").contentType(MediaType.TEXT_PLAIN).content("name=a")), 415);
    }

    @Test
    void aParameterOfTheWrongTypeOrMissingIsABadRequest() throws Exception {
        problem(mvc.perform(get("/things").param("size", "99999999999999999999")), 400);
        problem(mvc.perform(get("/things")), 400);
    }

    @Test
    void aServerErrorSaysNothingOfItsCause() throws Exception {
        problem(mvc.perform(get("/things/boom")), 500)
                .andExpect(jsonPath("$.detail").value("An unexpected error occurred; it has been logged."));
    }

    private static ResultActions problem(ResultActions result, int status) throws Exception {
        return result.andExpect(status().is(status))
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.status").value(status))
                .andExpect(jsonPath("$.title").isNotEmpty());
    }

    /** A controller with a JSON body, a typed and required parameter, and a failure. */
    @RestController
    static class Echo {

        record Thing(String name) {
        }

        @PostMapping(value = "/things", consumes = MediaType.APPLICATION_JSON_VALUE)
        Thing create(@RequestBody Thing thing) {
            return thing;
        }

        @GetMapping("/things")
        Map<String, Integer> list(@RequestParam int size) {
            return Map.of("size", size);
        }

        @GetMapping("/things/{id}")
        Thing get(@PathVariable String id) {
            throw new IllegalStateException("secret internals of " + id);
        }
    }
}
