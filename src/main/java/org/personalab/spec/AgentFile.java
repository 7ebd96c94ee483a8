package org.personalab.spec;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * The contents of a TinyTroupe {@code .agent.json} file: the persona, the provenance if the file carries one
 * ({@code spec_meta}), and every other top-level key ({@code mental_faculties}, memories, ...) in file order.
 *
 * @param spec       the persona
 * @param provenance where the spec came from, or null
 * @param extras     the other top-level keys (not {@code type}, {@code persona} or {@code spec_meta})
 */
public record AgentFile(AgentSpec spec, SpecProvenance provenance, ObjectNode extras) {

    public AgentFile {
        Objects.requireNonNull(spec, "spec");
        extras = extras == null ? SpecJson.object() : extras;
    }

    public static AgentFile of(AgentSpec spec, SpecProvenance provenance) {
        return new AgentFile(spec, provenance, null);
    }

    /** The file's JSON: {@code {"type":"TinyPerson","persona":{…}, extras…, "spec_meta":{…}}}. */
    public ObjectNode toJson() {
        ObjectNode root = SpecJson.object();
        root.put("type", "TinyPerson");
        root.set("persona", spec.node());
        extras.properties().forEach(e -> root.set(e.getKey(), e.getValue()));
        if (provenance != null) {
            root.set(SpecProvenance.KEY, provenance.toJson());
        }
        return root;
    }
}
