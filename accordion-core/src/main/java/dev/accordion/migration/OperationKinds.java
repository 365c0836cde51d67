package dev.accordion.migration;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import java.util.Arrays;
import java.util.List;

/** The operation names of the file format, read from the one place they are declared. */
public final class OperationKinds {

    private static final JsonSubTypes.Type[] TYPES = Operation.class.getAnnotation(JsonSubTypes.class).value();

    private OperationKinds() {
    }

    public static String nameOf(Class<?> operationClass) {
        return Arrays.stream(TYPES)
                .filter(type -> type.value().equals(operationClass))
                .map(JsonSubTypes.Type::name)
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(operationClass + " is not an operation"));
    }

    public static Class<?> typeOf(String name) {
        return Arrays.stream(TYPES)
                .filter(type -> type.name().equals(name))
                .map(JsonSubTypes.Type::value)
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("\"" + name + "\" is not an operation"));
    }

    public static List<String> names() {
        return Arrays.stream(TYPES).map(JsonSubTypes.Type::name).toList();
    }
}
