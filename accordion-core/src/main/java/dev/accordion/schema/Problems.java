package dev.accordion.schema;

import java.util.ArrayList;
import java.util.List;

/** Collects every problem validation finds, so that all of them are reported at once. */
public final class Problems {

    private final List<String> messages = new ArrayList<>();

    public void add(String message) {
        messages.add(message);
    }

    public void addAll(String context, Problems other) {
        other.messages.forEach(message -> messages.add(context + ": " + message));
    }

    public boolean isEmpty() {
        return messages.isEmpty();
    }

    public List<String> messages() {
        return List.copyOf(messages);
    }
}
