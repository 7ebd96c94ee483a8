package org.personalab.judge;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.personalab.inventory.Domain;
import org.personalab.inventory.Facet;
import org.personalab.profile.Profile;
import org.personalab.profile.PromptContext;
import org.personalab.spec.AgentSpec;
import org.personalab.spec.PromptTemplate;

/**
 * The LLM judge's prompt: an editable template with a {@code [system]} section and a {@code [user]} section (each
 * starting on a line of its own), whose variables are {@code {{profile}}} (demographics and the 35 levels),
 * {@code {{spec_a}}} and {@code {{spec_b}}} (the two personas as shown, pretty JSON). Rendering is strict: an unknown
 * or blank variable is an error, as in {@link PromptTemplate}. The default is the resource {@code judge-prompt.txt},
 * which keeps the seed's four criteria (trait levels, behaviour consistency, realism without stereotypes, demographic
 * fit) but asks for {@code {"winner", "confidence", "rationale"}} with the keys spelled right.
 */
public final class JudgePrompt {

    public static final String DEFAULT_RESOURCE = "judge-prompt.txt";
    public static final List<String> VARIABLES = List.of("profile", "spec_a", "spec_b");

    /** A rendered prompt: the system and user messages. */
    public record Rendered(String system, String user) {
    }

    private final String name;
    private final String text;
    private final PromptTemplate system;
    private final PromptTemplate user;

    /** @throws IllegalArgumentException naming {@code name} when a section is missing */
    public JudgePrompt(String name, String text) {
        this.name = name;
        this.text = text.replace("\r\n", "\n");
        int s = sectionStart(this.text, "[system]");
        int u = sectionStart(this.text, "[user]");
        if (s < 0 || u < 0 || u < s) {
            throw new IllegalArgumentException(name + ": a judge prompt needs a line \"[system]\" followed later by a "
                    + "line \"[user]\"");
        }
        String sys = this.text.substring(s + "[system]".length(), u).strip();
        String usr = this.text.substring(u + "[user]".length()).strip();
        if (sys.isEmpty() || usr.isEmpty()) {
            throw new IllegalArgumentException(name + ": the " + (sys.isEmpty() ? "[system]" : "[user]")
                    + " section is empty");
        }
        for (String v : VARIABLES) {
            if (!usr.contains("{{" + v + "}}") && !sys.contains("{{" + v + "}}")) {
                throw new IllegalArgumentException(name + ": the template never uses {{" + v + "}}");
            }
        }
        this.system = new PromptTemplate(name + " [system]", sys);
        this.user = new PromptTemplate(name + " [user]", usr);
    }

    private static int sectionStart(String t, String header) {
        if (t.startsWith(header + "\n")) {
            return 0;
        }
        int i = t.indexOf("\n" + header + "\n");
        return i < 0 ? -1 : i + 1;
    }

    public static JudgePrompt standard() {
        try (InputStream in = JudgePrompt.class.getResourceAsStream(DEFAULT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + DEFAULT_RESOURCE + " is missing from the class path");
            }
            return new JudgePrompt(DEFAULT_RESOURCE, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String name() {
        return name;
    }

    /** The template text as given (for editing and for the run journal). */
    public String text() {
        return text;
    }

    /** SHA-256 of the template text: the run journal records which prompt judged. */
    public String sha256() {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The prompt for one presentation order: {@code first} is shown as A, {@code second} as B. */
    public Rendered render(Profile person, AgentSpec first, AgentSpec second) {
        Map<String, String> vars = new LinkedHashMap<>();
        vars.put("profile", profileText(person));
        vars.put("spec_a", first.toString().strip());
        vars.put("spec_b", second.toString().strip());
        return new Rendered(system.render(vars), user.render(vars));
    }

    /** The person as the judge sees them: demographics, then each domain level with its six facet levels. */
    public static String profileText(Profile p) {
        PromptContext c = PromptContext.of(p);
        StringBuilder sb = new StringBuilder();
        sb.append("- Age: ").append(orUnknown(c.get("age"))).append('\n');
        sb.append("- Sex: ").append(orUnknown(c.get("sex"))).append('\n');
        sb.append("- Country: ").append(orUnknown(c.get("country"))).append('\n');
        sb.append("\nBig Five levels, relative to people of the same sex and age group:\n");
        for (Domain d : PromptContext.OCEAN) {
            sb.append("- ").append(d.displayName()).append(": ").append(orUnknown(c.get(PromptContext.key(d))))
                    .append(" (");
            Facet[] facets = d.facets();
            for (int i = 0; i < facets.length; i++) {
                Facet f = facets[i];
                sb.append(i == 0 ? "" : ", ").append(f.displayName()).append(": ")
                        .append(orUnknown(c.get(PromptContext.key(f))));
            }
            sb.append(")\n");
        }
        return sb.toString().strip();
    }

    private static String orUnknown(String v) {
        return v == null || v.isBlank() ? "unknown" : v;
    }
}
