package dev.accordion.spi;

/** What the connected server supports, computed once from its version. */
public record Capabilities(String product, int majorVersion, int maxIdentifierBytes, boolean securityInvokerViews) {
}
