package org.personalab.engine.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import org.personalab.engine.ChatTemplate;
import org.personalab.engine.Compute;
import org.personalab.engine.DecoderModel;
import org.personalab.engine.EngineException;
import org.personalab.engine.LoraAdapter;
import org.personalab.engine.Tokenizer;

/**
 * Supervised fine-tuning: the mean negative log-likelihood of the assistant tokens (prompt, system and user tokens
 * are masked, labels −100), averaged over all trained tokens of an optimizer step as Hugging Face does since it
 * fixed gradient accumulation ({@code num_items_in_batch}).
 */
public final class SftTrainer extends Trainer {

    private final List<Sequence> data;
    private final TrainData.Truncation truncation;

    SftTrainer(TrainConfig config, DecoderModel model, LoraAdapter adapter, List<Sequence> data,
            TrainData.Truncation truncation) {
        super(config, model, adapter, data.size());
        this.data = data;
        this.truncation = truncation;
    }

    /** Loads model, tokenizer, template and data of {@code config}; resumes from {@code resume} when not null. */
    public static SftTrainer create(TrainConfig config, Path resume) {
        Compute compute = config.compute();
        List<Sequence> data;
        TrainData.Truncation truncation;
        try (Tokenizer tokenizer = Tokenizer.load(config.model())) {
            TrainData reader = new TrainData(tokenizer, ChatTemplate.load(config.model()), config.maxLength(),
                    config.truncationMode(), config.maxPromptLength());
            data = reader.sft(config.trainDataset());
            truncation = reader.truncation();
        }
        DecoderModel model = DecoderModel.load(config.model(), compute);
        try {
            SftTrainer t = new SftTrainer(config, model, startingAdapter(config, model, resume), data, truncation);
            if (resume != null) {
                t.resumeFrom(resume);
            }
            return t;
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** The loss over {@code examples} as one batch, without training (for checks and tests). */
    public double loss(List<Sequence> examples) {
        try (NDScope scope = new NDScope()) {
            long n = 0;
            for (Sequence s : examples) {
                n += s.labelled();
            }
            double v = -sequenceLogProbs(examples).sum().getFloat() / Math.max(1, n);
            scope.suppressNotUsedWarning();
            return v;
        }
    }

    @Override
    protected long items(int[] batch) {
        long n = 0;
        for (int i : batch) {
            n += data.get(i).labelled();
        }
        return n;
    }

    @Override
    protected Micro micro(int[] batch, double normaliser, GradientCollector gc) {
        List<Sequence> seqs = pick(data, batch);
        long tokens = 0;
        for (Sequence s : seqs) {
            tokens += s.ids().length;
        }
        try (NDScope scope = new NDScope()) {
            NDArray loss = sequenceLogProbs(seqs).sum().neg().div((float) normaliser);
            gc.backward(loss);
            double v = loss.getFloat();
            scope.suppressNotUsedWarning();
            return new Micro(v, tokens, new double[0]);
        }
    }

    @Override
    protected List<String> metricNames() {
        return List.of();
    }

    @Override
    protected void describe(ObjectNode start) {
        start.put("truncation", truncation.describe());
        start.put("sequences_truncated", truncation.sequencesCut());
        start.put("trained_tokens_lost", truncation.labelledTokensLost());
        start.put("completions_lost", truncation.completionsLost());
        start.put("prompts_truncated", truncation.promptsCut());
        if (data.stream().allMatch(s -> s.labelled() == 0)) {
            throw new EngineException(config.trainDataset() + ": no assistant token is left to train: "
                    + truncation.describe() + (truncation.completionsLost() > 0 && config.truncationMode()
                            .equals(TrainData.KEEP_START) ? "; raise max_length, or set truncation_mode to "
                                    + "\"keep_end\" to cut the prompts' beginnings instead" : ""));
        }
    }

    List<Sequence> data() {
        return data;
    }
}
