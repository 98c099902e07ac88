package io.certflow.hosting.web;

/**
 * Body of {@code POST /api/v1/certificates/{id}/pause} (optional).
 *
 * @param reason why hosting is paused, shown with the certificate (at most 500 characters)
 */
public record PauseRequest(String reason) {
}
