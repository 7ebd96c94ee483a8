package org.personalab.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.personalab.llm.ApiKeys;
import org.personalab.llm.BatchReport;
import org.personalab.llm.CostEstimate;
import org.personalab.llm.LlmGateway;
import org.personalab.llm.Provider;
import org.personalab.llm.ProviderOverride;
import org.personalab.llm.ProviderRegistry;
import org.personalab.service.DatasetService;
import org.personalab.service.SpecGenerationService;
import org.personalab.service.SpecGenerationService.Engine;
import org.personalab.service.SpecGenerationService.Outcome;
import org.personalab.service.SpecGenerationService.Plan;
import org.personalab.service.SpecGenerationService.Problem;
import org.personalab.service.SpecGenerationService.Request;
import org.personalab.service.SpecService;
import org.personalab.service.SplitSelection;
import org.personalab.service.UserSettings;
import org.personalab.spec.PromptTemplate;
import org.personalab.store.Workspace;
import org.personalab.task.RunRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "specs", description = "Agent specifications (TinyTroupe personas).",
        subcommands = {SpecsCommand.Generate.class, SpecsCommand.Export.class})
final class SpecsCommand implements Runnable {

    /** Exit code of a run that stopped before every spec was stored (budget, failures); running it again resumes. */
    static final int INCOMPLETE = 3;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "generate", description = {"Write specs for the people of a dataset or a split.",
        "Engines: template (rule-based, offline) or PROVIDER:MODEL (an OpenAI-compatible chat model, e.g. "
                + "openai:gpt-4o-mini or, with --base-url, any local server).",
        "An LLM run prints its cost estimate first, stores each spec as its answer arrives and, when stopped "
                + "(budget, failures, killed), continues where it stopped if the same command is run again: answers "
                + "already received are never paid twice. Exit code 3: the run stopped before it was complete.",
        "With --batch the requests go through the provider's Batch API (OpenAI, Together: half the price, answers "
                + "within 24 h): the command waits for the batch and stores the specs as above; a batch run that is "
                + "cancelled or killed while waiting leaves its batch at the provider, and the same command run "
                + "again polls that batch instead of sending it again."})
    static final class Generate implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--workspace", required = true)
        Path workspace;

        @Option(names = "--dataset", description = "Everyone in this dataset.")
        String dataset;

        @Option(names = "--split", paramLabel = "SET[:PART]",
                description = "The people of one part of a split set (demo-split:test), or of the whole set.")
        String split;

        @Option(names = "--engine", defaultValue = "template", paramLabel = "template|PROVIDER:MODEL")
        String engine;

        @Option(names = "--base-url", paramLabel = "URL",
                description = "OpenAI-compatible endpoint (…/v1) of PROVIDER; adds PROVIDER when it is unknown.")
        String baseUrl;

        @Option(names = "--api-key-env", paramLabel = "VAR",
                description = "Environment variable holding PROVIDER's API key (the name, never the key).")
        String apiKeyEnv;

        @Option(names = "--samples", description = "Specs per person (default 1).")
        Integer samples;

        @Option(names = "--temperature", description = "Sampling temperature T (default "
                + SpecGenerationService.DEFAULT_TEMPERATURE + "); each sample is asked at T ± 10 %.")
        Double temperature;

        @Option(names = "--seed", description = "Seed of the per-sample temperature jitter (default "
                + SpecGenerationService.DEFAULT_SEED + ").")
        Long seed;

        @Option(names = "--limit", description = "Only the first N people (default: all).")
        Integer limit;

        @Option(names = "--max-tokens", description = "Longest answer, in tokens (default "
                + SpecGenerationService.DEFAULT_MAX_TOKENS + ").")
        Integer maxTokens;

        @Option(names = "--template", paramLabel = "FILE",
                description = "An edited copy of the generation prompt template (default: the built-in one).")
        Path template;

        @Option(names = "--budget", paramLabel = "USD",
                description = "Hard cap on the money the run may spend; it stops cleanly before exceeding it.")
        Double budget;

        @Option(names = "--concurrency", description = "Calls in flight (default: the provider's limit).")
        Integer concurrency;

        @Option(names = "--resume", paramLabel = "RUN",
                description = "Continue an unfinished LLM run (latest, an id or a title) with its own parameters.")
        String resume;

        @Option(names = "--dry-run", description = "Print the plan and the cost estimate; send nothing.")
        boolean dryRun;

        @Option(names = "--batch", description = "Send the requests through the provider's Batch API (its batch "
                + "price, e.g. 50 %% of the list price; hours, not seconds) and wait for the answers.")
        boolean batch;

        @Option(names = "--batch-api", negatable = true, description = "PROVIDER offers the OpenAI Batch API "
                + "(/v1/files, /v1/batches) or, with --no-batch-api, does not; default: as configured in "
                + "providers.json (for a provider given only here: yes when it has --api-key-env).")
        Boolean batchApi;

        @Option(names = "--poll-seconds", paramLabel = "N", description = "With --batch: look at the batch every N "
                + "seconds (default: after " + SpecGenerationService.DEFAULT_POLL_FIRST_SECONDS + " s, then twice "
                + "as long each time up to " + SpecGenerationService.DEFAULT_POLL_MAX_SECONDS + " s).")
        Integer pollSeconds;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            if (resume == null && (dataset == null) == (split == null)) {
                err.println("error: give exactly one of --dataset NAME or --split SET[:PART]");
                return 2;
            }
            if (pollSeconds != null && !batch) {
                err.println("error: --poll-seconds applies to --batch runs");
                return 2;
            }
            if (pollSeconds != null && pollSeconds < 1) {
                err.println("error: --poll-seconds must be at least 1, not " + pollSeconds);
                return 2;
            }
            Workspace ws = Workspace.open(workspace);
            if (resume == null && engine.equals("template")) {
                return template(ws, out, err);
            }
            ProviderRegistry registry = ProviderRegistry.load();
            ApiKeys keys = ApiKeys.standard();
            SpecGenerationService.PauseGate gate = new SpecGenerationService.PauseGate();
            ConsoleProgress progress = new ConsoleProgress(err);
            RunRecord resumed = null;
            Request request;
            if (resume != null) {
                for (String o : List.of("--dataset", "--split", "--engine", "--samples", "--temperature", "--seed",
                        "--limit", "--max-tokens", "--template")) {
                    if (spec.commandLine().getParseResult().hasMatchedOption(o)) {
                        err.println("error: --resume continues run '" + resume + "' with its own parameters; " + o
                                + " cannot be changed (start a new run instead)");
                        return 2;
                    }
                }
                resumed = SpecService.resolveRun(ws, SpecService.RUN_KIND, resume);
                registry = registryFor(registry, resumed);
                request = SpecGenerationService.requestOf(ws, resumed);
                if (budget != null) {
                    request = request.withBudget(budget);
                }
                if (concurrency != null) {
                    request = request.withConcurrency(concurrency);
                }
                if (batch) {
                    request = request.withBatch(true);
                }
                if (resumed.status().equals(RunRecord.SUCCEEDED)) {
                    out.printf("Run %d is complete; nothing to resume%n", resumed.id());
                    return 0;
                }
            } else {
                Engine e = Engine.parse(engine);
                if (baseUrl != null || apiKeyEnv != null || batchApi != null) {
                    registry = registry.with(new ProviderOverride(e.provider(), baseUrl, apiKeyEnv, e.model(),
                            batchApi));
                }
                SplitSelection people = split != null ? SplitSelection.resolve(ws, split)
                        : SplitSelection.wholeDataset(ws, new DatasetService(ws).require(dataset));
                PromptTemplate t = template != null ? PromptTemplate.read(template) : PromptTemplate.defaultSpecPrompt();
                request = new Request(people, e, t, samples == null ? 1 : samples,
                        temperature == null ? SpecGenerationService.DEFAULT_TEMPERATURE : temperature,
                        seed == null ? SpecGenerationService.DEFAULT_SEED : seed,
                        maxTokens == null ? SpecGenerationService.DEFAULT_MAX_TOKENS : maxTokens,
                        limit == null ? 0 : limit, budget, concurrency == null ? 0 : concurrency, batch);
            }
            Provider provider = registry.get(request.engine().provider());
            if (request.batch() && !SpecGenerationService.supportsBatch(provider)) {
                err.println("error: provider " + provider.name() + " does not offer the Batch API (its setting "
                        + "\"batchApi\" is false); run without --batch, or, if its server has /v1/files and "
                        + "/v1/batches, set \"batchApi\": true for " + provider.name() + " in "
                        + UserSettings.home().resolve(ProviderRegistry.FILE) + " (Settings > LLM providers: "
                        + "\"Supports Batch API\") or add --batch-api");
                return 2;
            }
            if (!dryRun && provider.apiKeyEnv() != null && !keys.hasKey(provider)) {
                err.println("error: " + provider.name() + " needs an API key: set the environment variable "
                        + provider.apiKeyEnv() + " or add \"" + provider.name() + "\" to " + keys.file()
                        + " (readable only by you)");
                return 2;
            }
            try (LlmGateway gw = LlmGateway.builder(ws).registry(registry).keys(keys).build()) {
                SpecGenerationService svc = new SpecGenerationService(ws, gw);
                if (pollSeconds != null) {
                    svc.batchPolling(java.time.Duration.ofSeconds(pollSeconds),
                            java.time.Duration.ofSeconds(pollSeconds));
                }
                Plan plan = svc.plan(request, progress);
                printPlan(out, plan, provider);
                if (dryRun) {
                    return 0;
                }
                Outcome o = svc.generate(plan, resumed, gate, progress);
                printOutcome(out, err, plan, o);
                return o.complete() ? 0 : INCOMPLETE;
            }
        }

        /** The registry a stored run needs: its provider as recorded when this machine does not know it. */
        private ProviderRegistry registryFor(ProviderRegistry registry, RunRecord run) {
            try {
                var p = org.personalab.service.Json.MAPPER.readTree(run.params());
                String name = p.path("provider").asText();
                String url = baseUrl != null ? baseUrl
                        : registry.find(name).isPresent() ? null : p.path("baseUrl").asText(null);
                String env = apiKeyEnv != null ? apiKeyEnv
                        : p.path("apiKeyEnv").isTextual() ? p.path("apiKeyEnv").asText() : null;
                // a batch run of a provider this machine does not know was sent to a server with the Batch API
                Boolean batches = batchApi != null ? batchApi
                        : registry.find(name).isEmpty() && p.path("batch").asBoolean(false) ? Boolean.TRUE : null;
                return url == null && env == null && batches == null ? registry
                        : registry.with(new ProviderOverride(name, url, env, p.path("model").asText(), batches));
            } catch (java.io.IOException e) {
                throw new IllegalStateException("run " + run.id() + ": unreadable parameters", e);
            }
        }

        private Integer template(Workspace ws, PrintWriter out, PrintWriter err) {
            if ((samples != null && samples != 1) || temperature != null || budget != null || batch) {
                err.println("error: the template engine is deterministic and free: --samples, --temperature, "
                        + "--budget and --batch apply to LLM engines (PROVIDER:MODEL)");
                return 2;
            }
            SplitSelection people = split != null ? SplitSelection.resolve(ws, split)
                    : SplitSelection.wholeDataset(ws, new DatasetService(ws).require(dataset));
            SpecService.Outcome o = SpecService.generateTemplate(ws, people, limit == null ? 0 : limit,
                    new ConsoleProgress(err, true));
            out.printf("Run %d: %d template specs for %s (%d people skipped: incomplete profile; %d specs with "
                    + "validation errors)%n", o.runId(), o.specs(), people.label(), o.skippedIncomplete(),
                    o.errorFindings());
            return 0;
        }

        private static void printPlan(PrintWriter out, Plan plan, Provider provider) {
            Request r = plan.request();
            out.printf(Locale.ROOT, "Plan: %d people × %d sample%s = %d specs by %s for %s (temperature %.2f ± 10 %%, "
                    + "seed %d)%s%n", plan.people() - plan.incomplete().size(), r.samples(),
                    r.samples() == 1 ? "" : "s", plan.items().size(), r.engine().label(), r.people().label(),
                    r.temperature(), r.seed(), plan.incomplete().isEmpty() ? ""
                            : "; " + plan.incomplete().size() + " people left out (incomplete profile)");
            CostEstimate e = plan.estimate();
            out.println((r.batch() ? String.format(Locale.ROOT, "Estimate (Batch API, %.0f %% of the list price): ",
                    provider.batchPriceFactor() * 100) : "Estimate: ") + e.summary());
            if (r.budgetUsd() != null && e.unpriced().isEmpty() && e.costUsd() > r.budgetUsd()) {
                out.printf(Locale.ROOT, "The estimate is above the budget of $%.4f: the run will stop when the budget "
                        + "is reached%n", r.budgetUsd());
            }
            out.flush();
        }

        private static void printOutcome(PrintWriter out, PrintWriter err, Plan plan, Outcome o) {
            out.printf(Locale.ROOT, "Run %d%s: %d of %d specs stored (%d paid now, %d from the workspace cache); "
                    + "%d invalid, %d failed; %d specs with validation errors%n", o.runId(),
                    o.resumed() ? " (resumed)" : "", o.stored(), o.expected(), o.paid(), o.cached(), o.invalid(),
                    o.failed(), o.specsWithErrors());
            if (plan.estimate().unpriced().isEmpty()) {
                out.printf(Locale.ROOT, "Cost: $%.4f now, $%.4f for the run (%,d prompt + %,d completion tokens)%n",
                        o.costNowUsd(), o.runCostUsd(), o.promptTokens(), o.completionTokens());
            } else {
                out.printf(Locale.ROOT, "Cost: unknown, %s has no price (%,d prompt + %,d completion tokens); add it "
                        + "to providers.json in the settings folder%n", String.join(", ", plan.estimate().unpriced()),
                        o.promptTokens(), o.completionTokens());
            }
            for (BatchReport.PendingBatch b : o.batches()) {
                out.printf(Locale.ROOT, "Batch %s (%s, %d requests): %s%n", b.batchId() == null ? "(being created)"
                        : b.batchId(), b.provider(), b.requests(), b.status());
            }
            for (Problem p : o.problems()) {
                out.printf("  %s person %s sample %d: %s%n", p.kind(), p.person(), p.sample(), p.detail());
            }
            if (!o.complete()) {
                err.printf("Run %d %s: %s%n", o.runId(), o.status(), o.error());
                if ("budget".equals(o.stoppedBy())) {
                    err.println("Run the same command with a larger --budget to continue it.");
                } else {
                    err.println("Run the same command again to continue it; answers already received are not paid "
                            + "again.");
                }
            }
            out.flush();
        }
    }

    @Command(name = "export", description = "Write one .agent.json per spec of a generation run.")
    static final class Export implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--workspace", required = true)
        Path workspace;

        @Option(names = "--run", defaultValue = "latest", description = "latest, a run id or a run title.")
        String run;

        @Option(names = "--out", required = true)
        Path out;

        @Override
        public Integer call() throws Exception {
            Workspace ws = Workspace.open(workspace);
            RunRecord r = SpecService.resolveRun(ws, SpecService.RUN_KIND, run);
            int n = SpecService.export(ws, r.id(), out, new ConsoleProgress(spec.commandLine().getErr(), true));
            spec.commandLine().getOut().printf("Exported %d specs of run %d to %s%n", n, r.id(), out);
            return 0;
        }
    }
}
