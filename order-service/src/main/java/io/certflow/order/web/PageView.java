package io.certflow.order.web;

import java.util.List;

/**
 * One page of a list as the API shows it.
 *
 * @param items      this page's items
 * @param page       the page number, from 0
 * @param size       the page size asked for
 * @param totalItems how many items match in all
 * @param totalPages how many pages of {@code size} they fill
 */
public record PageView<T>(List<T> items, int page, int size, long totalItems, long totalPages) {

    static <T> PageView<T> of(List<T> items, int page, int size, long total) {
        return new PageView<>(items, page, size, total, (total + size - 1) / size);
    }
}
