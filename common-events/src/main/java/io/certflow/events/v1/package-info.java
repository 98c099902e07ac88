/**
 * Version 1 of the certflow events. Within v1 fields are only ever added, and only as optional;
 * a breaking change is a v2 type published beside v1 until every consumer has moved.
 */
package io.certflow.events.v1;
