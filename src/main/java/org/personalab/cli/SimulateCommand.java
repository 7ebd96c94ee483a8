package org.personalab.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.personalab.inventory.Inventory;
import org.personalab.llm.ApiKeys;
import org.personalab.llm.LlmGateway;
import org.personalab.llm.Provider;
import org.personalab.llm.ProviderOverride;
import org.personalab.llm.ProviderRegistry;
import org.personalab.service.SimulationService;
import org.personalab.service.SimulationService.Outcome;
import org.personalab.service.SimulationService.Request;
import org.personalab.service.SpecGenerationService;
import org.personalab.sim.ItemOrder;
import org.personalab.sim.ItemPrompt;
import org.personalab.sim.MemoryPolicy;
import org.personalab.sim.OptionOrder;
import org.personalab.sim.PersonaRenderer;
import org.personalab.sim.PsychometricRespondent;
import org.personalab.sim.SimSettings;
import org.personalab.sim.TokenTally;
import org.personalab.store.SimAnswerRepository.StatusCounts;
import org.personalab.store.Workspace;
import org.personalab.task.RunRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code personalab simulate}: the agents of a spec run answer the IPIP-NEO (see {@link SimulationService}). */
@Command(name = "simulate", description = {"Let the agents of a spec run answer the IPIP-NEO-120 (or -300).",
    "Engines: psychometric (offline: answers from the levels each spec states, through an ordinal model of real "
            + "answers) or PROVIDER:MODEL (an OpenAI-compatible chat model, e.g. openai:gpt-4o-mini or, with "
            + "--base-url, any local server).",
    "Every answer is stored as it arrives; a run that stopped (cancelled, budget, killed) continues where it stopped "
            + "when the same command is run again, and answers already received are never paid twice. Exit code 3: "
            + "the run stopped before it was complete."})
public final class SimulateCommand implements Callable<Integer> {

    /** Exit code of a run that stopped before every answer was stored; running it again resumes. */
    static final int INCOMPLETE = 3;

    @Spec
    CommandSpec spec;

    @Option(names = "--workspace", required = true, paramLabel = "DIR")
    Path workspace;

    @Option(names = "--specs", defaultValue = "latest", paramLabel = "RUN",
            description = "The spec run: latest (default), its id or its title.")
    String specs;

    @Option(names = "--split", paramLabel = "SET:PART", description = "Only the agents of these people.")
    String split;

    @Option(names = "--engine", defaultValue = "psychometric", paramLabel = "ENGINE",
            description = "psychometric (default) or PROVIDER:MODEL.")
    String engine;

    @Option(names = "--base-url", paramLabel = "URL", description = "The provider's OpenAI-compatible endpoint.")
    String baseUrl;

    @Option(names = "--api-key-env", paramLabel = "VAR",
            description = "The environment variable holding the API key (the key itself never goes on the command "
                    + "line or into the workspace).")
    String apiKeyEnv;

    @Option(names = "--memory", defaultValue = "none", paramLabel = "POLICY",
            description = "none (default), last:K or tinytroupe (first 10 + last 40 messages).")
    String memory;

    @Option(names = "--shuffle-items", paramLabel = "SEED", description = "Shuffle the items per agent with SEED.")
    Long shuffleSeed;

    @Option(names = "--reverse-options", description = "Show the options (A) Very Inaccurate … (E) Very Accurate.")
    boolean reverseOptions;

    @Option(names = "--persona", defaultValue = "tinytroupe", paramLabel = "MODE",
            description = "tinytroupe (default: persona JSON with its rules) or paragraph.")
    String persona;

    @Option(names = "--inventory", defaultValue = "120", paramLabel = "N", description = "120 (default) or 300.")
    int inventory;

    @Option(names = "--samples", defaultValue = "1", paramLabel = "N", description = "Answers per item (default 1).")
    int samples;

    @Option(names = "--template", paramLabel = "FILE",
            description = "Item prompt template with {{statement}} and {{options}} (default: MPI's wording).")
    Path template;

    @Option(names = "--sample-answers", paramLabel = "SEED",
            description = "Psychometric engine: draw answers from the model with SEED instead of the median.")
    Long sampleSeed;

    @Option(names = "--text", description = "Ask models for free text instead of {\"answer\": letter}.")
    boolean text;

    @Option(names = "--temperature", paramLabel = "T", description = "Sampling temperature (default 0).")
    Double temperature;

    @Option(names = "--max-tokens", paramLabel = "N", description = "Completion cap per item (default 64).")
    Integer maxTokens;

    @Option(names = "--budget", paramLabel = "USD", description = "Stop before the run would spend more.")
    Double budget;

    @Option(names = "--concurrency", paramLabel = "N", description = "Agents at a time.")
    Integer concurrency;

    @Option(names = "--limit", paramLabel = "N", description = "Only the first N agents.")
    Integer limit;

    @Option(names = "--resume", paramLabel = "RUN", description = "Continue a stopped simulation run (its id).")
    Long resume;

    @Option(names = "--estimate", description = "Print what the run would ask and (for a model) cost, and stop: "
            + "nothing is sent or stored.")
    boolean estimate;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Workspace ws = Workspace.open(workspace);
        ConsoleProgress progress = new ConsoleProgress(err);
        SpecGenerationService.PauseGate gate = new SpecGenerationService.PauseGate();
        ProviderRegistry registry = ProviderRegistry.load();
        ApiKeys keys = ApiKeys.standard();
        SimulationService probe = new SimulationService(ws, null);
        Request request;
        if (resume != null) {
            RunRecord run = ws.read(tx -> tx.runs().get(resume)).orElseThrow(() -> new IllegalArgumentException(
                    "no run " + resume + " in " + workspace));
            request = probe.requestOf(run);
        } else {
            request = request();
        }
        if (!request.isPsychometric()) {
            if (baseUrl != null || apiKeyEnv != null) {
                registry = registry.with(new ProviderOverride(request.provider(), baseUrl, apiKeyEnv,
                        request.model()));
            }
            Provider p = registry.get(request.provider());
            if (p.apiKeyEnv() != null && !keys.hasKey(p) && !estimate) {
                err.println("error: " + p.name() + " needs an API key: set the environment variable " + p.apiKeyEnv()
                        + " or add \"" + p.name() + "\" to " + keys.file() + " (readable only by you)");
                return 2;
            }
        }
        if (estimate) {
            SimulationService.Plan plan;
            if (request.isPsychometric()) {
                plan = probe.plan(request, progress);
            } else {
                try (LlmGateway gw = LlmGateway.builder(ws).registry(registry).keys(keys).build()) {
                    plan = new SimulationService(ws, gw).plan(request, progress);
                }
            }
            out.println(plan.summary());
            return 0;
        }
        Outcome o;
        if (request.isPsychometric()) {
            o = run(new SimulationService(ws, null), request, gate, progress);
        } else {
            try (LlmGateway gw = LlmGateway.builder(ws).registry(registry).keys(keys).build()) {
                o = run(new SimulationService(ws, gw), request, gate, progress);
            }
        }
        print(out, o);
        return o.complete() ? 0 : INCOMPLETE;
    }

    private Outcome run(SimulationService svc, Request r, SpecGenerationService.PauseGate gate,
            ConsoleProgress progress) {
        return resume != null ? svc.resume(resume, budget, concurrency == null ? 0 : concurrency, gate, progress)
                : svc.simulate(r, gate, progress);
    }

    private Request request() throws IOException {
        ItemPrompt prompt = ItemPrompt.standard();
        if (template != null) {
            if (!Files.isRegularFile(template)) {
                throw new IllegalArgumentException("--template " + template + ": no such file");
            }
            prompt = ItemPrompt.of(template.toString(), Files.readString(template, StandardCharsets.UTF_8));
        }
        SimSettings s = new SimSettings(Inventory.byItemCount(inventory), PersonaRenderer.Mode.parse(persona),
                MemoryPolicy.parse(memory), shuffleSeed == null ? ItemOrder.FIXED : ItemOrder.shuffled(shuffleSeed),
                reverseOptions ? OptionOrder.REVERSED : OptionOrder.FIXED, samples, prompt);
        boolean psychometric = engine.equals(PsychometricRespondent.ENGINE);
        if (psychometric && (temperature != null || maxTokens != null || budget != null || text)) {
            throw new IllegalArgumentException("the psychometric engine calls no model: --temperature, --max-tokens, "
                    + "--budget and --text apply to PROVIDER:MODEL engines");
        }
        if (!psychometric && sampleSeed != null) {
            throw new IllegalArgumentException("--sample-answers applies to the psychometric engine");
        }
        Request r = psychometric ? Request.psychometric(s) : Request.model(engine, s);
        r = r.withSpecRun(specs).withSplit(split).withBudget(budget).withConcurrency(concurrency == null ? 0
                : concurrency).withLimit(limit == null ? 0 : limit);
        if (sampleSeed != null) {
            r = r.withPsychometric(PsychometricRespondent.Mode.SAMPLE, sampleSeed);
        }
        if (!psychometric) {
            r = r.withStructured(!text);
            if (temperature != null) {
                r = r.withTemperature(temperature);
            }
            if (maxTokens != null) {
                r = new Request(r.specRun(), r.split(), r.engine(), r.settings(), r.psychometric(), r.seed(),
                        r.temperature(), maxTokens, r.structured(), r.budgetUsd(), r.concurrency(), r.limit());
            }
        }
        return r;
    }

    static void print(PrintWriter out, Outcome o) {
        StatusCounts c = o.counts();
        out.printf(Locale.ROOT, "Run %d %s%s: %d agents, %d answers stored (%d answered, %d unparseable = %.1f%%, "
                + "%d refused = %.1f%%, %d failed)%n", o.runId(), o.status(), o.stoppedBy() == null ? ""
                        : " (stopped by " + o.stoppedBy() + ")", o.agents(), c.total(), c.answered(), c.unparseable(),
                100 * c.unparseableRate(), c.refused(), 100 * c.refusalRate(), c.failed());
        out.printf(Locale.ROOT, "  this attempt: %d answers asked, %d found stored%s; %d paid calls, $%.4f%n",
                o.asked(), o.reused(), o.resumed() ? " (resumed)" : "", o.paidCalls(), o.costUsd());
        TokenTally.Summary t = o.tokens();
        out.printf(Locale.ROOT, "  tokens per questionnaire (memory %s, %d questionnaires): prompt ~%,.0f estimated, "
                + "of which ~%,.0f a cacheable prefix (~%,.0f uncached)", t.policy(), t.questionnaires(),
                t.estimatedPrompt(), t.cacheablePrefix(), t.uncachedPrompt());
        if (Double.isNaN(t.reportedPrompt())) {
            out.printf(Locale.ROOT, "; reported: %s%n", t.source());
        } else {
            out.printf(Locale.ROOT, "; reported %,.0f prompt + %,.0f completion (%s)%n", t.reportedPrompt(),
                    t.reportedCompletion(), t.source());
        }
        if (o.error() != null) {
            out.println("  " + o.error());
        }
        if (!o.complete()) {
            out.println("  Run the same command again (or --resume " + o.runId() + ") to continue.");
        }
    }
}
