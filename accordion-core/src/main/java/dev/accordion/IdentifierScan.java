package dev.accordion;

import dev.accordion.sql.Identifier;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Every {@link Identifier} inside an operation, found by walking its records, so no field is forgotten. */
final class IdentifierScan {

    private IdentifierScan() {
    }

    static List<Identifier> of(Object root) {
        List<Identifier> found = new ArrayList<>();
        walk(root, found);
        return found;
    }

    private static void walk(Object value, List<Identifier> found) {
        if (value instanceof Identifier identifier) {
            found.add(identifier);
        } else if (value instanceof Optional<?> optional) {
            optional.ifPresent(v -> walk(v, found));
        } else if (value instanceof Collection<?> items) {
            items.forEach(item -> walk(item, found));
        } else if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> {
                walk(k, found);
                walk(v, found);
            });
        } else if (value != null && value.getClass().isRecord()) {
            for (RecordComponent component : value.getClass().getRecordComponents()) {
                try {
                    walk(component.getAccessor().invoke(value), found);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("cannot read " + component, e);
                }
            }
        }
    }
}
