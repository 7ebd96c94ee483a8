package org.personalab.ui.settings;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.personalab.llm.ApiKeys;
import org.personalab.llm.Limits;
import org.personalab.llm.LlmException;
import org.personalab.llm.ModelPrice;
import org.personalab.llm.Provider;
import org.personalab.llm.ProviderCheck;
import org.personalab.llm.ProviderRegistry;
import org.personalab.llm.StructuredMode;
import org.personalab.ui.WorkbenchContext;

/**
 * The LLM provider settings: the providers of {@code providers.json} in the user settings folder (built-ins merged
 * in), a form for the selected one (name, base URL, the name of its key's environment variable, models with prices
 * per million input and output tokens, limits, whether it offers the Batch API and at what share of the list price),
 * its key stored in the owner-only {@code keys.json}
 * (never shown back, only where it comes from), and "Test connection" as a background task. The form is checked as it
 * is typed; problems name the field (and the line of the models list).
 */
public final class ProviderSettingsViewModel {

    private final WorkbenchContext ctx;
    private final Path home;
    private final ApiKeys keys;
    private final ObservableList<Provider> providers = FXCollections.observableArrayList();
    private final ObjectProperty<Provider> selected = new SimpleObjectProperty<>(this, "selected");

    private final StringProperty name = new SimpleStringProperty(this, "name", "");
    private final StringProperty baseUrl = new SimpleStringProperty(this, "baseUrl", "");
    private final StringProperty keyEnv = new SimpleStringProperty(this, "keyEnv", "");
    private final ObjectProperty<StructuredMode> structured = new SimpleObjectProperty<>(this, "structured",
            StructuredMode.JSON_SCHEMA);
    private final StringProperty models = new SimpleStringProperty(this, "models", "");
    private final BooleanProperty free = new SimpleBooleanProperty(this, "free");
    private final StringProperty maxConcurrent = new SimpleStringProperty(this, "maxConcurrent", "0");
    private final StringProperty requestsPerMinute = new SimpleStringProperty(this, "requestsPerMinute", "0");
    private final StringProperty tokensPerMinute = new SimpleStringProperty(this, "tokensPerMinute", "0");
    private final BooleanProperty batchApi = new SimpleBooleanProperty(this, "batchApi");
    private final StringProperty batchPriceFactor = new SimpleStringProperty(this, "batchPriceFactor", "0.5");
    private final StringProperty keyInput = new SimpleStringProperty(this, "keyInput", "");

    private final ReadOnlyStringWrapper problem = new ReadOnlyStringWrapper(this, "problem", "");
    private final ReadOnlyStringWrapper keyStatus = new ReadOnlyStringWrapper(this, "keyStatus", "");
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper(this, "message", "");
    private final ReadOnlyStringWrapper testResult = new ReadOnlyStringWrapper(this, "testResult", "");
    private final BooleanProperty testing = new SimpleBooleanProperty(this, "testing");
    private final BooleanProperty testOk = new SimpleBooleanProperty(this, "testOk");
    private final BooleanProperty dirty = new SimpleBooleanProperty(this, "dirty");
    private boolean filling;

    public ProviderSettingsViewModel(WorkbenchContext ctx, Path settingsHome, ApiKeys keys) {
        this.ctx = ctx;
        this.home = settingsHome;
        this.keys = keys;
        selected.addListener((o, a, p) -> fill(p));
        for (var field : List.of(name, baseUrl, keyEnv, models, maxConcurrent, requestsPerMinute, tokensPerMinute,
                batchPriceFactor)) {
            field.addListener((o, a, b) -> edited());
        }
        free.addListener((o, a, b) -> edited());
        batchApi.addListener((o, a, b) -> edited());
        structured.addListener((o, a, b) -> edited());
        load();
    }

    /** Reads the providers again from the settings folder. */
    public void load() {
        ProviderRegistry r;
        try {
            r = ProviderRegistry.load(home);
            message.set("");
        } catch (LlmException e) {
            r = ProviderRegistry.builtIn();
            message.set(e.getMessage() + " (showing the built-in providers; saving replaces the file)");
        }
        providers.setAll(r.all());
        selected.set(providers.isEmpty() ? null : providers.get(0));
    }

    private void fill(Provider p) {
        filling = true;
        try {
            name.set(p == null ? "" : p.name());
            baseUrl.set(p == null ? "" : p.baseUrl());
            keyEnv.set(p == null || p.apiKeyEnv() == null ? "" : p.apiKeyEnv());
            structured.set(p == null ? StructuredMode.JSON_SCHEMA : p.structured());
            StringBuilder sb = new StringBuilder();
            if (p != null) {
                for (ModelPrice m : p.models().values()) {
                    sb.append(m.model()).append("  ").append(number(m.inputPerMillion())).append("  ")
                            .append(number(m.outputPerMillion())).append('\n');
                }
            }
            models.set(sb.toString());
            free.set(p != null && p.defaultPrice() != null && p.defaultPrice().inputPerMillion() == 0
                    && p.defaultPrice().outputPerMillion() == 0);
            maxConcurrent.set(p == null ? "0" : Integer.toString(p.limits().maxConcurrent()));
            requestsPerMinute.set(p == null ? "0" : Integer.toString(p.limits().requestsPerMinute()));
            tokensPerMinute.set(p == null ? "0" : Integer.toString(p.limits().tokensPerMinute()));
            batchApi.set(p != null && p.batchApi());
            batchPriceFactor.set(p == null ? "0.5" : number(p.batchPriceFactor()));
            keyInput.set("");
            testResult.set("");
            testOk.set(false);
        } finally {
            filling = false;
        }
        dirty.set(false);
        problem.set(build().problem);
        refreshKeyStatus();
    }

    private static String number(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }

    private void edited() {
        if (filling) {
            return;
        }
        dirty.set(true);
        problem.set(build().problem);
        refreshKeyStatus();
    }

    /** The provider the form describes, or the first problem found. */
    private record Built(Provider provider, String problem) {
    }

    private Built build() {
        if (selected.get() == null) {
            return new Built(null, "");
        }
        try {
            return buildChecked();
        } catch (IllegalArgumentException e) {
            return new Built(null, e.getMessage());
        }
    }

    private Built buildChecked() {
        String n = name.get().strip();
        if (providers.stream().anyMatch(p -> p != selected.get() && p.name().equals(n))) {
            return new Built(null, "Name: another provider is called " + n);
        }
        Provider p;
        try {
            p = Provider.of(n, baseUrl.get().strip(), keyEnv.get().strip());
        } catch (IllegalArgumentException e) {
            String m = e.getMessage();
            String field = m.contains("base URL") ? "Base URL" : m.contains("environment variable") ? "Key variable"
                    : "Name";
            return new Built(null, field + ": " + m);
        }
        p = p.withStructured(structured.get());
        String[] lines = models.get().split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("[\\s,;]+");
            String where = "Models, line " + (i + 1) + ": ";
            if (f.length != 3) {
                return new Built(null, where + "expected 'model input-price output-price' (US dollars per million "
                        + "tokens), not '" + line + "'");
            }
            double in;
            double out;
            try {
                in = Double.parseDouble(f[1]);
                out = Double.parseDouble(f[2]);
            } catch (NumberFormatException e) {
                return new Built(null, where + "prices must be numbers, not '" + f[1] + "' and '" + f[2] + "'");
            }
            if (!(in >= 0) || !(out >= 0) || Double.isInfinite(in) || Double.isInfinite(out)) {
                return new Built(null, where + "prices must be >= 0");
            }
            if (p.models().containsKey(f[0])) {
                return new Built(null, where + "model " + f[0] + " is listed twice");
            }
            p = p.withModel(new ModelPrice(f[0], in, out));
        }
        p = p.withDefaultPrice(free.get() ? ModelPrice.free() : null);
        int[] limits = new int[3];
        String[] labels = {"Max concurrent calls", "Requests per minute", "Tokens per minute"};
        StringProperty[] fields = {maxConcurrent, requestsPerMinute, tokensPerMinute};
        for (int i = 0; i < 3; i++) {
            String v = fields[i].get().strip();
            try {
                limits[i] = v.isEmpty() ? 0 : Integer.parseInt(v);
            } catch (NumberFormatException e) {
                return new Built(null, labels[i] + ": '" + v + "' is not a whole number (0 = no limit)");
            }
            if (limits[i] < 0) {
                return new Built(null, labels[i] + ": must be >= 0 (0 = no limit)");
            }
        }
        p = p.withLimits(new Limits(limits[0], limits[1], limits[2]));
        Provider old = selected.get();
        p = p.withBatchApi(batchApi.get());
        if (batchApi.get()) {
            try {
                double f = Double.parseDouble(batchPriceFactor.get().strip());
                p = p.withBatchPriceFactor(f);
            } catch (NumberFormatException e) {
                return new Built(null, "Batch price: '" + batchPriceFactor.get() + "' is not a number (share of the "
                        + "list price, e.g. 0.5)");
            } catch (IllegalArgumentException e) {
                return new Built(null, "Batch price: " + e.getMessage());
            }
        } else {
            p = p.withBatchPriceFactor(old.batchPriceFactor()); // not editable without the Batch API: kept as it was
        }
        p = p.withTimeouts(old.timeouts());
        return new Built(p, "");
    }

    /** Saves the form into the list and {@code providers.json}; false (with {@link #problemProperty}) when invalid. */
    public boolean save() {
        Built b = build();
        if (b.provider == null) {
            problem.set(b.problem);
            return false;
        }
        int i = providers.indexOf(selected.get());
        List<Provider> next = new ArrayList<>(providers);
        if (i >= 0) {
            next.set(i, b.provider);
        } else {
            next.add(b.provider);
        }
        if (!write(next)) {
            return false;
        }
        providers.setAll(next);
        selected.set(b.provider);
        fill(b.provider); // also when the saved provider equals the old one (then selecting it changes nothing)
        message.set("Saved " + b.provider.name() + " to " + home.resolve(ProviderRegistry.FILE));
        return true;
    }

    private boolean write(List<Provider> list) {
        try {
            ProviderRegistry.save(home, list);
            return true;
        } catch (LlmException e) {
            message.set(e.getMessage());
            return false;
        }
    }

    /** Adds a new provider (saved once its form is saved). */
    public void add() {
        int n = 1;
        while (true) {
            String candidate = "provider-" + n;
            if (providers.stream().noneMatch(p -> p.name().equals(candidate))) {
                Provider p = Provider.of(candidate, "http://localhost:8000/v1", null);
                providers.add(p);
                selected.set(p);
                dirty.set(true);
                return;
            }
            n++;
        }
    }

    /** Removes the selected provider; a built-in one goes back to its built-in settings instead. */
    public void removeSelected() {
        Provider p = selected.get();
        if (p == null) {
            return;
        }
        List<Provider> next = new ArrayList<>(providers);
        int i = next.indexOf(p);
        Optional<Provider> builtIn = ProviderRegistry.builtIn().find(p.name());
        if (builtIn.isPresent()) {
            next.set(i, builtIn.get());
        } else {
            next.remove(i);
        }
        if (!write(next)) {
            return;
        }
        providers.setAll(next);
        selected.set(builtIn.orElse(next.isEmpty() ? null : next.get(Math.min(i, next.size() - 1))));
        message.set(builtIn.isPresent() ? p.name() + " is back to its built-in settings" : "Removed " + p.name());
    }

    /** Whether removing the selected provider only resets it (built-ins cannot be removed). */
    public boolean selectedIsBuiltIn() {
        return selected.get() != null && ProviderRegistry.isBuiltIn(selected.get().name());
    }

    /** Stores the key typed for the selected provider in {@code keys.json} (owner-only) and forgets the typed text. */
    public void storeKey() {
        String k = keyInput.get() == null ? "" : keyInput.get().strip();
        String n = name.get().strip();
        if (k.isEmpty() || selected.get() == null) {
            return;
        }
        try {
            keys.store(n, k);
            message.set("Key of " + n + " stored in " + keys.file() + " (readable only by you)");
        } catch (LlmException e) {
            message.set(ApiKeys.redact(e.getMessage(), k));
        } finally {
            keyInput.set("");
        }
        refreshKeyStatus();
    }

    private void refreshKeyStatus() {
        Built b = build();
        Provider p = b.provider != null ? b.provider : selected.get();
        if (p == null) {
            keyStatus.set("");
            return;
        }
        ApiKeys.Source s;
        try {
            s = keys.source(p);
        } catch (LlmException e) {
            s = ApiKeys.Source.NONE;
        }
        keyStatus.set(switch (s) {
            case ENVIRONMENT -> "Key: from the environment variable " + p.apiKeyEnv();
            case FILE -> "Key: stored in " + keys.file().getFileName() + " (readable only by you)";
            case NONE -> p.apiKeyEnv() == null ? "Key: none (this server needs none, or store one)"
                    : "Key: none yet — set " + p.apiKeyEnv() + " or store one here";
        });
    }

    /** Tests the provider as the form describes it (saved or not) in a background task. */
    public void testConnection() {
        Built b = build();
        if (b.provider == null) {
            testOk.set(false);
            testResult.set("Cannot test: " + b.problem);
            return;
        }
        Provider p = b.provider;
        testing.set(true);
        testOk.set(false);
        testResult.set("Testing " + p.baseUrl() + " …");
        ctx.submit("Test connection to " + p.name(), task -> ProviderCheck.run(p, keys, task), r -> {
            testing.set(false);
            testOk.set(r.ok());
            testResult.set((r.ok() ? "" : "Failed: ") + r.message());
        }, e -> {
            testing.set(false);
            testOk.set(false);
            testResult.set("Failed: " + e.getMessage());
        });
    }

    public ObservableList<Provider> providers() {
        return providers;
    }

    public ObjectProperty<Provider> selectedProperty() {
        return selected;
    }

    public StringProperty nameProperty() {
        return name;
    }

    public StringProperty baseUrlProperty() {
        return baseUrl;
    }

    public StringProperty keyEnvProperty() {
        return keyEnv;
    }

    public ObjectProperty<StructuredMode> structuredProperty() {
        return structured;
    }

    public StringProperty modelsProperty() {
        return models;
    }

    public BooleanProperty freeProperty() {
        return free;
    }

    public StringProperty maxConcurrentProperty() {
        return maxConcurrent;
    }

    public StringProperty requestsPerMinuteProperty() {
        return requestsPerMinute;
    }

    public StringProperty tokensPerMinuteProperty() {
        return tokensPerMinute;
    }

    /** Whether the provider offers the OpenAI Batch API; the batch price applies (and is checked) only when it does. */
    public BooleanProperty batchApiProperty() {
        return batchApi;
    }

    public StringProperty batchPriceFactorProperty() {
        return batchPriceFactor;
    }

    /** The key being typed; cleared as soon as it is stored. */
    public StringProperty keyInputProperty() {
        return keyInput;
    }

    /** The first problem of the form, naming the field; empty when it can be saved. */
    public ReadOnlyStringProperty problemProperty() {
        return problem.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty keyStatusProperty() {
        return keyStatus.getReadOnlyProperty();
    }

    /** What the last action did (saved, removed, key stored) or why it failed. */
    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty testResultProperty() {
        return testResult.getReadOnlyProperty();
    }

    public BooleanProperty testingProperty() {
        return testing;
    }

    public BooleanProperty testOkProperty() {
        return testOk;
    }

    public BooleanProperty dirtyProperty() {
        return dirty;
    }

    /** "name — base URL" for the list. */
    static String label(Provider p) {
        return String.format(Locale.ROOT, "%s — %s", p.name(), p.baseUrl());
    }
}
