package org.personalab.engine.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.personalab.engine.ChatTemplate;
import org.personalab.engine.Compute;
import org.personalab.engine.DecoderModel;
import org.personalab.engine.EngineException;
import org.personalab.engine.HostTensor;
import org.personalab.engine.LoraAdapter;
import org.personalab.engine.Tokenizer;

/**
 * Direct preference optimisation (Rafailov et al. 2023) with TRL's sigmoid loss
 * {@code −log σ(β·((log πc − log rc) − (log πr − log rr)))}, log-probabilities summed over completion tokens, chosen
 * and rejected run as one batch (TRL's concatenated forward).
 *
 * <p>The reference is the policy as training starts: the model with the starting adapter (the SFT adapter named by
 * {@code adapter_init}, or a fresh adapter with B = 0, i.e. the base) — so the reference is "the model without the
 * new DPO update". Its log-probabilities are computed once before the first step with dropout off and kept (TRL's
 * {@code precompute_ref_log_probs}); this needs no second copy of the model, and the result stays a single PEFT
 * adapter on the base model that {@code personalab serve --adapter} loads directly. The alternative, TRL's default
 * with a PEFT model (adapter disabled as reference), would make the base — not the SFT model — the reference when
 * training continues the SFT adapter. The reference values are stored in every checkpoint, so a resumed run uses
 * the same ones.
 *
 * <p>Logged as TRL logs them: {@code rewards/chosen} = β·(log πc − log rc), {@code rewards/rejected} likewise,
 * {@code rewards/margins} their difference, {@code rewards/accuracies} the share with chosen above rejected, and
 * {@code logps/chosen}, {@code logps/rejected}; each averaged over the pairs of the logging window.
 */
public final class DpoTrainer extends Trainer {

    private static final List<String> METRICS = List.of("rewards/chosen", "rewards/rejected", "rewards/margins",
            "rewards/accuracies", "logps/chosen", "logps/rejected");

    private final List<DpoExample> data;
    private final TrainData.Truncation truncation;
    private float[] refChosen;
    private float[] refRejected;

    DpoTrainer(TrainConfig config, DecoderModel model, LoraAdapter adapter, List<DpoExample> data,
            TrainData.Truncation truncation) {
        super(config, model, adapter, data.size());
        this.data = data;
        this.truncation = truncation;
    }

    /** Loads model, tokenizer, template and data of {@code config}; resumes from {@code resume} when not null. */
    public static DpoTrainer create(TrainConfig config, Path resume) {
        Compute compute = config.compute();
        List<DpoExample> data;
        TrainData.Truncation truncation;
        try (Tokenizer tokenizer = Tokenizer.load(config.model())) {
            TrainData reader = new TrainData(tokenizer, ChatTemplate.load(config.model()), config.maxLength(),
                    config.truncationMode(), config.maxPromptLength());
            data = reader.dpo(config.trainDataset());
            truncation = reader.truncation();
        }
        DecoderModel model = DecoderModel.load(config.model(), compute);
        try {
            DpoTrainer t = new DpoTrainer(config, model, startingAdapter(config, model, resume), data, truncation);
            if (resume != null) {
                t.resumeFrom(resume);
            } else {
                t.computeReference();
            }
            return t;
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** Log-probabilities of every chosen and rejected completion under the current (starting) model. */
    void computeReference() {
        refChosen = new float[data.size()];
        refRejected = new float[data.size()];
        int bs = config.batchSize();
        for (int from = 0; from < data.size(); from += bs) {
            int to = Math.min(data.size(), from + bs);
            int[] idx = new int[to - from];
            for (int i = 0; i < idx.length; i++) {
                idx[i] = from + i;
            }
            float[] lp = logProbs(idx);
            for (int i = 0; i < idx.length; i++) {
                refChosen[idx[i]] = lp[i];
                refRejected[idx[i]] = lp[idx.length + i];
            }
        }
    }

    private float[] logProbs(int[] batch) {
        try (NDScope scope = new NDScope()) {
            float[] v = floats(sequenceLogProbs(sequences(batch)));
            scope.suppressNotUsedWarning();
            return v;
        }
    }

    private List<Sequence> sequences(int[] batch) {
        List<Sequence> seqs = new ArrayList<>();
        for (int i : batch) {
            seqs.add(data.get(i).chosen());
        }
        for (int i : batch) {
            seqs.add(data.get(i).rejected());
        }
        return seqs;
    }

    /** Mean reward margin β·((πc − rc) − (πr − rr)) over all pairs under the current adapter (no training). */
    public double meanMargin() {
        int[] all = new int[data.size()];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        float[] lp = logProbs(all);
        double sum = 0;
        for (int i = 0; i < all.length; i++) {
            sum += config.beta() * ((lp[i] - refChosen[i]) - (lp[all.length + i] - refRejected[i]));
        }
        return sum / all.length;
    }

    @Override
    protected long items(int[] batch) {
        return batch.length;
    }

    @Override
    protected Micro micro(int[] batch, double normaliser, GradientCollector gc) {
        int b = batch.length;
        float[] rc = new float[b];
        float[] rr = new float[b];
        long tokens = 0;
        for (int i = 0; i < b; i++) {
            rc[i] = refChosen[batch[i]];
            rr[i] = refRejected[batch[i]];
            tokens += data.get(batch[i]).chosen().ids().length + data.get(batch[i]).rejected().ids().length;
        }
        try (NDScope scope = new NDScope()) {
            NDArray lp = sequenceLogProbs(sequences(batch));
            NDArray pc = lp.get("0:" + b);
            NDArray pr = lp.get(b + ":");
            NDArray logits = pc.sub(model.manager().create(rc)).sub(pr.sub(model.manager().create(rr)))
                    .mul((float) config.beta());
            NDArray loss = softplus(logits.neg()).sum().div((float) normaliser);
            gc.backward(loss);
            double v = loss.getFloat();
            float[] c = floats(pc);
            float[] r = floats(pr);
            double[] m = new double[METRICS.size()];
            for (int i = 0; i < b; i++) {
                double chosen = config.beta() * (c[i] - rc[i]);
                double rejected = config.beta() * (r[i] - rr[i]);
                m[0] += chosen;
                m[1] += rejected;
                m[2] += chosen - rejected;
                m[3] += chosen > rejected ? 1 : 0;
                m[4] += c[i];
                m[5] += r[i];
            }
            scope.suppressNotUsedWarning();
            return new Micro(v, tokens, m);
        }
    }

    @Override
    protected List<String> metricNames() {
        return METRICS;
    }

    @Override
    protected Map<String, HostTensor> extraState() {
        return Map.of("reference.chosen", HostTensor.of(refChosen.clone(), refChosen.length),
                "reference.rejected", HostTensor.of(refRejected.clone(), refRejected.length));
    }

    @Override
    protected void restoreExtra(Map<String, HostTensor> extra, Path from) {
        HostTensor c = extra.get("reference.chosen");
        HostTensor r = extra.get("reference.rejected");
        if (c == null || r == null || c.data().length != data.size() || r.data().length != data.size()) {
            throw new EngineException(from + ": the DPO reference log-probabilities are missing or do not match the "
                    + data.size() + " pairs of " + config.trainDataset());
        }
        refChosen = c.data().clone();
        refRejected = r.data().clone();
    }

    @Override
    protected void describe(ObjectNode start) {
        start.put("truncation", truncation.describe());
        start.put("sequences_truncated", truncation.sequencesCut());
        start.put("trained_tokens_lost", truncation.labelledTokensLost());
        start.put("completions_lost", truncation.completionsLost());
        start.put("prompts_truncated", truncation.promptsCut());
        if (data.stream().allMatch(p -> p.chosen().labelled() == 0 && p.rejected().labelled() == 0)) {
            throw new EngineException(config.trainDataset() + ": no completion token is left to train: "
                    + truncation.describe() + (config.truncationMode().equals(TrainData.KEEP_START)
                            ? "; raise max_length, or set truncation_mode to \"keep_end\"" : ""));
        }
        start.put("beta", config.beta());
        start.put("reference", config.adapterInit() == null ? "base model (fresh adapter)"
                : "starting adapter " + config.adapterInit());
    }
}
