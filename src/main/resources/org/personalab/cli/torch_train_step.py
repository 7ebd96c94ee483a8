"""PyTorch eager reference for `personalab bench engine --train-step`.

One LoRA SFT optimizer step as PersonaLab's trainer takes it, on the same weights and tokens: the Qwen2 decoder of
torch_decode.py (same folder) with a rank-R adapter (PEFT's init: A Kaiming-uniform, B = 0; scaling alpha / r with
alpha = 2r) on every projection (q/k/v/o/gate/up/down), batch 1, every position trained (mean negative
log-likelihood of the next token), backward, gradient clipping at 1.0 and torch.optim.AdamW (lr 1e-4). The adapter's
matrices are float32 master weights; on a float16 model they are cast to float16 for the product, and on CUDA the
loss is scaled by torch.cuda.amp.GradScaler. One untimed warm-up step, then REPEAT timed steps. Prints one JSON line
with the step times, tokens/s, the warm-up step's loss (the base model's loss, B being 0) and peak memory: the
process's peak resident set on the CPU (VmHWM, loading included; not ru_maxrss, which on Linux keeps the high-water
mark of the JVM that started this process), torch.cuda.max_memory_allocated on CUDA.

usage: torch_train_step.py MODEL_DIR TOKENS_JSON REPEAT THREADS DEVICE DTYPE RANK
"""
import json
import math
import os
import resource
import statistics
import sys
import time

import torch
import torch.nn.functional as F

from torch_decode import DTYPES, Qwen2, check_device, load_safetensors, place

TARGETS = ("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj")


class LoraQwen2(Qwen2):
    def __init__(self, cfg, w, rank, seed):
        super().__init__(cfg, w)
        self.scaling = (2 * rank) / rank
        gen = torch.Generator().manual_seed(seed)
        self.lora = {}
        for name, weight in w.items():
            if not name.endswith(".weight") or name.split(".")[-2] not in TARGETS:
                continue
            module = name[: -len(".weight")]
            out_features, in_features = weight.shape
            bound = 1 / math.sqrt(in_features)
            a = ((torch.rand(rank, in_features, generator=gen) * 2 - 1) * bound).to(self.device)
            b = torch.zeros(out_features, rank, device=self.device)
            self.lora[module] = (a.requires_grad_(), b.requires_grad_())

    def params(self):
        return [t for pair in self.lora.values() for t in pair]

    def proj(self, name, x):
        base = super().proj(name, x)
        pair = self.lora.get(name)
        if pair is None:
            return base
        a, b = pair
        return base + F.linear(F.linear(x, a.to(x.dtype)), b.to(x.dtype)) * self.scaling


def peak_rss_mb():
    """This process's peak resident set in MiB (VmHWM of /proc/self/status; ru_maxrss where /proc is absent)."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def main():
    model_dir, tokens_file, repeat, threads, device, dtype, rank = sys.argv[1:8]
    repeat, threads, rank = int(repeat), int(threads), int(rank)
    torch.set_num_threads(threads)
    check_device(device, dtype)
    with open(os.path.join(model_dir, "config.json")) as f:
        cfg = json.load(f)
    with open(tokens_file) as f:
        tokens = json.load(f)
    cuda = device.startswith("cuda")
    l0 = time.perf_counter()
    weights = place(load_safetensors(os.path.join(model_dir, "model.safetensors")), device, DTYPES[dtype])
    model = LoraQwen2(cfg, weights, rank, 1)
    load = time.perf_counter() - l0
    params = model.params()
    opt = torch.optim.AdamW(params, lr=1e-4, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0)
    scaler = torch.cuda.amp.GradScaler(enabled=cuda and dtype == "float16")
    ids = torch.tensor([tokens], device=model.device)
    losses, seconds = [], []
    if cuda:
        torch.cuda.reset_peak_memory_stats()
    for i in range(repeat + 1):
        t0 = time.perf_counter()
        logits = model.forward(ids, [None] * model.layers, all_positions=True)
        logp = logits[:, :-1].log_softmax(-1)
        loss = -logp.gather(2, ids[:, 1:, None]).mean()
        scaler.scale(loss).backward()
        scaler.unscale_(opt)
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        scaler.step(opt)
        scaler.update()
        opt.zero_grad(set_to_none=True)
        value = float(loss)
        if cuda:
            torch.cuda.synchronize()
        if i > 0:
            seconds.append(time.perf_counter() - t0)
        losses.append(value)
    print(json.dumps({
        "torch": torch.__version__,
        "device": device,
        "dtype": dtype,
        "intra_op_threads": torch.get_num_threads(),
        "load_s": load,
        "step_s": seconds,
        "tokens_per_s": len(tokens) / statistics.median(seconds),
        "first_loss": losses[0],
        "last_loss": losses[-1],
        "trainable_parameters": sum(p.numel() for p in params),
        "peak_rss_mb": peak_rss_mb(),
        "cuda_max_allocated_mb": torch.cuda.max_memory_allocated() / 1048576.0 if cuda else None,
    }))


if __name__ == "__main__":
    main()
