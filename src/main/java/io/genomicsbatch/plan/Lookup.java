package io.genomicsbatch.plan;

/**
 * A data-source call the program made and how the plan answered it.
 *
 * @param what   what was looked up, in words
 * @param answer the value given to the program
 * @param source "stack config" or "placeholder"
 */
public record Lookup(String what, String answer, String source) {
}
