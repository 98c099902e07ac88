package io.certflow.order.web;

import io.certflow.order.ordering.InvalidOrderException;
import io.certflow.order.ordering.OrderStateException;
import io.certflow.order.ordering.UnknownOrderException;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * The order API's refusals as problem+json, before the platform's general handler: a broken order rule
 * is a 400 whose {@code reasonCode} is the same machine-readable code a refused purchase carries in
 * {@code PurchaseRejected}; a step the order's state does not allow is a 409; another account's order or
 * none is a 404.
 */
@RestControllerAdvice(assignableTypes = {OrderController.class, SubscriptionController.class})
@org.springframework.core.annotation.Order(Ordered.HIGHEST_PRECEDENCE)
public class OrderProblems {

    /** A problem property: the {@link io.certflow.order.ordering.ReasonCode} of a 400. */
    public static final String REASON_CODE = "reasonCode";

    @ExceptionHandler(InvalidOrderException.class)
    public ResponseEntity<ProblemDetail> invalid(InvalidOrderException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
        problem.setProperty(REASON_CODE, e.code().name());
        return respond(problem);
    }

    @ExceptionHandler(OrderStateException.class)
    public ResponseEntity<ProblemDetail> state(OrderStateException e) {
        return respond(ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, e.getMessage()));
    }

    @ExceptionHandler(UnknownOrderException.class)
    public ResponseEntity<ProblemDetail> unknown(UnknownOrderException e) {
        return respond(ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage()));
    }

    private static ResponseEntity<ProblemDetail> respond(ProblemDetail problem) {
        return ResponseEntity.status(problem.getStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }
}
