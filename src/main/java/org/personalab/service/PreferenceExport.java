package org.personalab.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.personalab.cluster.SplitMembers;
import org.personalab.cluster.SplitSetInfo;
import org.personalab.judge.JudgeInput;
import org.personalab.judge.JudgedPair;
import org.personalab.judge.LeakageGuard;
import org.personalab.judge.TrainingRecords;
import org.personalab.judge.TrainingRecords.Kind;
import org.personalab.judge.Verdict;
import org.personalab.judge.VerdictOverride;
import org.personalab.spec.AgentSpec;
import org.personalab.spec.SpecJson;
import org.personalab.store.AppVersion;
import org.personalab.task.RunRecord;
import org.personalab.task.TaskContext;

/**
 * Turns a judging run into training data: SFT JSONL (chosen specs only) or DPO JSONL in TRL's explicit-prompt form
 * ({@link TrainingRecords}), each with a manifest beside it ({@code NAME.manifest.json}: counts, sources, judge,
 * annotators, parameters, and which judgment every line came from) and a LLaMA-Factory {@code dataset_info.json}
 * entry in the same folder (for DPO pointing at a LLaMA-Factory-shaped copy, {@code NAME.llamafactory.jsonl}).
 *
 * <p>A record uses the effective verdict (annotators' overrides win over the judge). Ties are left out, and so are
 * pairs the judge was unsure about (flagged) that no annotator decided. The {@link LeakageGuard} refuses the whole
 * export when any record is about a person in a test part of a split set; then nothing is written. Files are written
 * to temporary names and moved into place only when all are complete. Each export is a run (kind {@value #RUN_KIND}).
 */
public final class PreferenceExport {

    public static final String RUN_KIND = "export";

    /** The optional DPO weight: none, the judge's confidence (1 when an annotator decided), or rater agreement. */
    public enum Weight {
        NONE, CONFIDENCE, AGREEMENT;

        public static Weight parse(String s) {
            try {
                return valueOf(s.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new IllegalArgumentException("--weight '" + s + "': expected none, confidence or agreement");
            }
        }
    }

    /**
     * @param judging   the judging run: "latest", an id or a title
     * @param testParts the "SET:PART"s whose people must not be trained on; null = every part named test* of every
     *                  split set in the workspace
     */
    public record Request(Kind kind, String judging, Path out, Weight weight, List<String> testParts) {
    }

    /** What was written. */
    public record Outcome(long runId, Path file, Path manifest, Path datasetInfo, Path llamaFactoryFile, int records,
            Map<String, Integer> counts) {
    }

    private final JudgeService judges;

    public PreferenceExport(JudgeService judges) {
        this.judges = judges;
    }

    public Outcome export(Request req, TaskContext ctx) throws IOException {
        Instant started = Instant.now();
        Path out = req.out().toAbsolutePath().normalize();
        if (!out.getFileName().toString().endsWith(".jsonl")) {
            throw new IllegalArgumentException("--out " + req.out() + ": the file name must end in .jsonl");
        }
        RunRecord run = judges.run(req.judging());
        if (!RunRecord.SUCCEEDED.equals(run.status())) {
            throw new IllegalArgumentException("judging run " + run.id() + " (" + run.title() + ") is " + run.status()
                    + ", not succeeded: rerun it to finish it before exporting");
        }
        List<JudgedPair> judged = judges.judged(run.id());
        LeakageGuard guard = guard(req.testParts());
        Weight weight = req.weight() == null ? Weight.NONE : req.weight();

        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String k : List.of("judgments", "exported", "ties", "unresolvedFlagged", "duplicateChosen",
                "decidedByAnnotator")) {
            counts.put(k, 0);
        }
        counts.put("judgments", judged.size());
        List<Selected> selected = new ArrayList<>();
        Set<Long> chosenSeen = new HashSet<>();
        for (JudgedPair p : judged) {
            Verdict v = p.effective();
            if (v == Verdict.TIE) {
                counts.merge("ties", 1, Integer::sum);
                continue;
            }
            if (p.judgeFlagged() && !p.overridden()) {
                counts.merge("unresolvedFlagged", 1, Integer::sum);
                continue;
            }
            long chosen = v == Verdict.A ? p.pair().specA() : p.pair().specB();
            long rejected = v == Verdict.A ? p.pair().specB() : p.pair().specA();
            if (req.kind() == Kind.SFT && !chosenSeen.add(chosen)) {
                counts.merge("duplicateChosen", 1, Integer::sum);
                continue;
            }
            selected.add(new Selected(p, chosen, rejected, weight(p, weight)));
        }
        Set<Long> people = new LinkedHashSet<>();
        selected.forEach(s -> people.add(s.pair().pair().respondentId()));
        guard.check(people, id -> judges.profile(id).id());

        TrainingRecords records = new TrainingRecords();
        StringBuilder main = new StringBuilder();
        StringBuilder factory = new StringBuilder();
        ArrayNode lines = SpecJson.MAPPER.createArrayNode();
        int line = 0;
        for (Selected s : selected) {
            ctx.checkCancelled();
            JudgeInput in = judges.input(s.pair().pair());
            AgentSpec chosen = s.chosen() == in.pair().specA() ? in.specA() : in.specB();
            AgentSpec rejected = s.chosen() == in.pair().specA() ? in.specB() : in.specA();
            JsonNode rec;
            try {
                rec = req.kind() == Kind.SFT ? records.sft(in.target(), chosen)
                        : records.dpo(in.target(), chosen, rejected, s.weight());
                if (req.kind() == Kind.DPO) {
                    factory.append(SpecJson.compact(records.llamaFactoryDpo(in.target(), chosen, rejected)))
                            .append('\n');
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("judgment " + s.pair().id() + ", person " + in.target().id()
                        + ": cannot build the spec prompt (" + e.getMessage() + ")", e);
            }
            main.append(SpecJson.compact(rec)).append('\n');
            ObjectNode l = lines.addObject();
            l.put("line", ++line);
            l.put("judgmentId", s.pair().id());
            l.put("respondentId", in.pair().respondentId());
            l.put("person", in.target().id());
            l.put("chosenSpecId", s.chosen());
            if (req.kind() == Kind.DPO) {
                l.put("rejectedSpecId", s.rejected());
            }
            l.put("decidedBy", s.pair().overridden() ? "annotator" : "judge");
            if (s.pair().overridden()) {
                counts.merge("decidedByAnnotator", 1, Integer::sum);
            }
            if ((line & 63) == 0) {
                ctx.progress(line, selected.size());
            }
        }
        counts.put("exported", line);
        if (line == 0) {
            throw new IllegalArgumentException("judging run " + run.id() + " gives no " + req.kind().code()
                    + " records (" + counts + "); nothing was written");
        }

        String stem = out.getFileName().toString().replaceFirst("\\.jsonl$", "");
        Path dir = out.getParent();
        Path manifest = dir.resolve(stem + ".manifest.json");
        Path info = dir.resolve("dataset_info.json");
        Path factoryFile = req.kind() == Kind.DPO ? dir.resolve(stem + ".llamafactory.jsonl") : null;
        byte[] mainBytes = main.toString().getBytes(StandardCharsets.UTF_8);

        List<String> annotators = new ArrayList<>(new java.util.TreeSet<>(judged.stream()
                .flatMap(p -> p.overrides().stream()).filter(VerdictOverride::active)
                .map(VerdictOverride::annotator).toList()));
        ObjectNode m = SpecJson.object();
        m.put("kind", req.kind().code());
        m.put("format", req.kind() == Kind.SFT ? "chat messages: system, user (spec prompt), assistant (chosen persona)"
                : "TRL conversational explicit prompt: prompt, chosen, rejected" + (weight == Weight.NONE ? ""
                        : ", weight"));
        m.put("file", out.getFileName().toString());
        m.put("sha256", sha256(mainBytes));
        m.put("records", line);
        m.put("createdAt", Instant.now().toString());
        m.put("appVersion", AppVersion.get());
        ObjectNode jr = m.putObject("judgingRun");
        jr.put("id", run.id());
        jr.put("title", run.title());
        jr.set("params", SpecJson.MAPPER.readTree(run.params()));
        jr.set("inputs", SpecJson.MAPPER.readTree(run.inputs()));
        m.put("judge", judged.isEmpty() ? "" : judged.get(0).judge());
        m.set("annotators", SpecJson.MAPPER.valueToTree(annotators));
        m.set("counts", SpecJson.MAPPER.valueToTree(counts));
        ObjectNode params = m.putObject("parameters");
        params.put("weight", weight.name().toLowerCase(Locale.ROOT));
        params.put("systemPrompt", TrainingRecords.SYSTEM);
        params.put("userPrompt", "spec prompt rendered with the person's profile");
        params.put("assistant", "persona JSON, compact");
        params.put("excluded", "ties; pairs the judge flagged that no annotator decided"
                + (req.kind() == Kind.SFT ? "; a chosen spec already exported" : ""));
        ObjectNode lg = m.putObject("leakageGuard");
        lg.set("testParts", SpecJson.MAPPER.valueToTree(guard.parts()));
        lg.put("guardedPeople", guard.guardedPeople());
        lg.put("peopleInRecords", people.size());
        ObjectNode lf = m.putObject("llamaFactory");
        lf.put("datasetInfo", info.getFileName().toString());
        lf.put("entry", stem);
        lf.put("file", (factoryFile != null ? factoryFile : out).getFileName().toString());
        m.set("lines", lines);

        ObjectNode datasetInfo = Files.isRegularFile(info) ? readObject(info) : SpecJson.object();
        datasetInfo.set(stem, TrainingRecords.datasetInfoEntry(req.kind(),
                (factoryFile != null ? factoryFile : out).getFileName().toString()));

        Map<Path, byte[]> files = new LinkedHashMap<>();
        if (factoryFile != null) {
            files.put(factoryFile, factory.toString().getBytes(StandardCharsets.UTF_8));
        }
        files.put(info, SpecJson.pretty(datasetInfo).getBytes(StandardCharsets.UTF_8));
        files.put(manifest, SpecJson.pretty(m).getBytes(StandardCharsets.UTF_8));
        files.put(out, mainBytes); // last: its presence means the export is complete
        writeAll(files);

        Map<String, Object> runParams = new LinkedHashMap<>();
        runParams.put("kind", req.kind().code());
        runParams.put("weight", weight.name().toLowerCase(Locale.ROOT));
        runParams.put("testParts", guard.parts());
        runParams.put("out", out.toString());
        Map<String, Object> outputs = new LinkedHashMap<>(counts);
        outputs.put("file", out.toString());
        outputs.put("manifest", manifest.toString());
        outputs.put("sha256", m.get("sha256").asText());
        long exportRun = judges.workspace().write(tx -> {
            long id = tx.runs().insertFinished(RUN_KIND, "Export " + req.kind().code() + " from judging run "
                    + run.id(), Json.compact(runParams), Json.compact(Map.of("judgingRunId", run.id())),
                    Json.compact(outputs), started);
            return id;
        });
        return new Outcome(exportRun, out, manifest, info, factoryFile, line, counts);
    }

    private record Selected(JudgedPair pair, long chosen, long rejected, Double weight) {
    }

    private static Double weight(JudgedPair p, Weight w) {
        return switch (w) {
            case NONE -> null;
            case CONFIDENCE -> p.overridden() ? 1.0 : Double.isNaN(p.confidence()) ? 0.0 : p.confidence();
            case AGREEMENT -> {
                Verdict v = p.effective();
                int raters = 1;
                int agree = p.judgeVerdict() == v ? 1 : 0;
                Set<String> seen = new HashSet<>();
                for (VerdictOverride o : p.overrides()) {
                    if (o.active() && seen.add(o.annotator())) {
                        Verdict l = p.labelOf(o.annotator());
                        raters++;
                        agree += l == v ? 1 : 0;
                    }
                }
                yield (double) agree / raters;
            }
        };
    }

    /** The guard over the given test parts, or over every part named test* of every split set. */
    LeakageGuard guard(List<String> testParts) {
        Map<Long, String> people = new TreeMap<>();
        List<String> parts = new ArrayList<>();
        if (testParts != null) {
            for (String sel : testParts) {
                SplitSelection s = SplitSelection.resolve(judges.workspace(), sel);
                if (s.part() == null) {
                    throw new IllegalArgumentException("--test-parts " + sel
                            + ": give SET:PART, not a whole split set");
                }
                parts.add(s.label());
                for (long id : s.respondentIds()) {
                    people.putIfAbsent(id, s.label());
                }
            }
        } else {
            for (SplitSetInfo set : judges.workspace().read(tx -> tx.splits().list())) {
                SplitMembers m = judges.workspace().read(tx -> tx.splits().members(set.id()));
                Set<String> seen = new LinkedHashSet<>();
                for (int i = 0; i < m.size(); i++) {
                    String part = m.splits()[i];
                    if (part.toLowerCase(Locale.ROOT).startsWith("test")) {
                        String label = set.name() + ":" + part;
                        people.putIfAbsent(m.respondentIds()[i], label);
                        seen.add(label);
                    }
                }
                parts.addAll(seen);
            }
        }
        return new LeakageGuard(people, parts);
    }

    private static ObjectNode readObject(Path f) throws IOException {
        JsonNode n;
        try {
            n = SpecJson.MAPPER.readTree(f.toFile());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(f + ": line " + e.getLocation().getLineNr() + ": not valid JSON ("
                    + e.getOriginalMessage() + "); fix or remove it, the export adds its entry there", e);
        }
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException(f + ": expected a JSON object of LLaMA-Factory dataset entries");
        }
        return (ObjectNode) n;
    }

    /** Writes every file to a temporary name first, then moves each into place (the last one last). */
    private static void writeAll(Map<Path, byte[]> files) throws IOException {
        Map<Path, Path> temps = new LinkedHashMap<>();
        try {
            for (Map.Entry<Path, byte[]> e : files.entrySet()) {
                Path dir = e.getKey().getParent();
                Files.createDirectories(dir);
                Path tmp = Files.createTempFile(dir, "." + e.getKey().getFileName(), ".part");
                temps.put(e.getKey(), tmp);
                Files.write(tmp, e.getValue());
            }
            for (Map.Entry<Path, Path> e : temps.entrySet()) {
                Files.move(e.getValue(), e.getKey(), StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.ATOMIC_MOVE);
            }
        } finally {
            for (Path t : temps.values()) {
                Files.deleteIfExists(t);
            }
        }
    }

    private static String sha256(byte[] b) {
        try {
            return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
