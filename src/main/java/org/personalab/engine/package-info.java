/**
 * Local models on DJL (PyTorch engine): a decoder-only transformer of the Qwen2 / Llama family loaded from a Hugging
 * Face model folder, generation with a KV cache, LoRA adapters in PEFT format, and an OpenAI-compatible server.
 *
 * <p>One class per concept, so the math can be checked against the papers: {@link org.personalab.engine.RmsNorm}
 * (Zhang and Sennrich 2019), {@link org.personalab.engine.Rotary} (RoFormer, with Hugging Face's rotate-half layout
 * and the linear / dynamic-NTK / llama3 scalings of {@link org.personalab.engine.RopeScaling}),
 * {@link org.personalab.engine.Attention} (causal, grouped-query, q/k/v biases for Qwen2),
 * {@link org.personalab.engine.SwiGluMlp} (Shazeer 2020), {@link org.personalab.engine.DecoderLayer} (pre-norm
 * residual block), {@link org.personalab.engine.DecoderModel}, {@link org.personalab.engine.KvCache},
 * {@link org.personalab.engine.Sampler} and {@link org.personalab.engine.Generator}; {@link
 * org.personalab.engine.LoraLinear} and {@link org.personalab.engine.LoraAdapter} (Hu et al. 2021).
 *
 * <p>Files are read as the Python stack writes them: {@code config.json} ({@link org.personalab.engine.ModelConfig}),
 * single or sharded {@code *.safetensors} ({@link org.personalab.engine.SafeTensorsFile},
 * {@link org.personalab.engine.Checkpoint}; F32, F16 and BF16 decoded to float in Java, because a bfloat16 NDArray
 * aborts the JVM), {@code tokenizer.json} through Hugging Face's own tokenizers ({@link
 * org.personalab.engine.Tokenizer}) and the chat template of {@code tokenizer_config.json} rendered by Jinjava with
 * Hugging Face's settings ({@link org.personalab.engine.ChatTemplate}).
 *
 * <p>Computation is float32 on the CPU by default; {@link org.personalab.engine.Compute} chooses a CUDA device and
 * float16 (with RMSNorm statistics, softmax, logits and LoRA master weights kept in float32). DJL and Jinjava stay inside this package ({@code EngineBoundaryTest}):
 * other packages use {@link org.personalab.engine.LocalModel}, {@link org.personalab.engine.ChatServer} and the
 * file classes, whose signatures carry plain Java types only.
 */
package org.personalab.engine;
