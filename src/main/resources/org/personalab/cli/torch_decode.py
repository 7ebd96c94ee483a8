"""PyTorch eager reference for `personalab bench engine`.

Builds the Qwen2 decoder of a Hugging Face model folder (config.json + model.safetensors) in plain PyTorch eager,
the way Hugging Face's modeling_qwen2 computes it (q/k/v with bias, rotary "rotate half", grouped-query attention
by repeating key/value heads, KV cache grown with torch.cat, SwiGLU MLP, RMSNorm, tied head), loads the same
weights the Java engine loaded, and times prefill and greedy decode with the KV cache exactly as PersonaLab's
DecodeBenchmark does: prefill = call to first token (prompt forward + argmax), decode = first to last token over the
tokens in between. Weights and activations are float32 on the CPU unless DEVICE / DTYPE say otherwise (cuda,
float16); as in Hugging Face's Qwen2 and in PersonaLab's engine, RMSNorm statistics, the attention softmax and the
logits stay float32. Prints one JSON line.

usage: torch_decode.py MODEL_DIR PROMPT_JSON DECODE_TOKENS REPEAT THREADS [DEVICE [DTYPE]]
"""
import json
import math
import os
import statistics
import struct
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F


def load_safetensors(path):
    with open(path, "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for name, e in header.items():
        if name == "__metadata__":
            continue
        b, end = e["data_offsets"]
        raw = np.frombuffer(data, dtype=np.uint8, count=end - b, offset=b)
        if e["dtype"] == "F32":
            a = raw.view("<f4").copy()
        elif e["dtype"] == "F16":
            a = raw.view("<f2").astype(np.float32)
        elif e["dtype"] == "BF16":
            a = (raw.view("<u2").astype(np.uint32) << 16).view(np.float32)
        else:
            raise SystemExit(f"{path}: tensor {name} has dtype {e['dtype']}, expected F32, F16 or BF16")
        out[name] = torch.from_numpy(a.reshape(e["shape"]))
    return out


DTYPES = {"float32": torch.float32, "float16": torch.float16}


def place(weights, device, dtype):
    """The weights on DEVICE in DTYPE (decoded to float32 first, as the Java engine does)."""
    return {k: v.to(device=device, dtype=dtype) for k, v in weights.items()}


class Qwen2:
    def __init__(self, cfg, w):
        self.w = w
        any_weight = w["model.embed_tokens.weight"]
        self.device, self.dtype = any_weight.device, any_weight.dtype
        self.layers = cfg["num_hidden_layers"]
        self.heads = cfg["num_attention_heads"]
        self.kv_heads = cfg.get("num_key_value_heads", self.heads)
        self.head_dim = cfg["hidden_size"] // self.heads
        self.eps = cfg.get("rms_norm_eps", 1e-6)
        self.theta = cfg.get("rope_theta", 10000.0)
        self.embed = w["model.embed_tokens.weight"]
        self.head = self.embed if cfg.get("tie_word_embeddings", False) else w["lm_head.weight"]
        self.inv_freq = 1.0 / (self.theta ** (torch.arange(0, self.head_dim, 2, dtype=torch.int64).float()
                                              / self.head_dim)).to(self.device)

    def rms(self, x, weight):
        h = x.float()
        return weight * (h * torch.rsqrt(h.pow(2).mean(-1, keepdim=True) + self.eps)).to(x.dtype)

    def rope(self, positions):
        freqs = positions[:, None].float() * self.inv_freq[None, :]
        emb = torch.cat((freqs, freqs), dim=-1)
        return emb.cos()[None, None].to(self.dtype), emb.sin()[None, None].to(self.dtype)

    def proj(self, name, x):
        """The linear projection NAME (e.g. model.layers.0.self_attn.q_proj) of x, with its bias if it has one."""
        return F.linear(x, self.w[name + ".weight"], self.w.get(name + ".bias"))

    @staticmethod
    def rotate_half(x):
        half = x.shape[-1] // 2
        return torch.cat((-x[..., half:], x[..., :half]), dim=-1)

    def repeat_kv(self, x):
        group = self.heads // self.kv_heads
        if group == 1:
            return x
        b, h, s, d = x.shape
        return x[:, :, None, :, :].expand(b, h, group, s, d).reshape(b, h * group, s, d)

    def forward(self, ids, cache, all_positions=False):
        """ids [1, T] after the cache's S past tokens; the last position's float32 logits [vocab], or with
        ALL_POSITIONS every position's [1, T, vocab]."""
        b, t = ids.shape
        past = 0 if cache[0] is None else cache[0][0].shape[2]
        cos, sin = self.rope(torch.arange(past, past + t, device=self.device))
        mask = None
        if t > 1:
            mask = torch.full((t, past + t), float("-inf"), device=self.device).triu(past + 1)
        x = F.embedding(ids, self.embed)
        for i in range(self.layers):
            p = f"model.layers.{i}."
            w = self.w
            h = self.rms(x, w[p + "input_layernorm.weight"])
            q = self.proj(p + "self_attn.q_proj", h)
            k = self.proj(p + "self_attn.k_proj", h)
            v = self.proj(p + "self_attn.v_proj", h)
            q = q.view(b, t, self.heads, self.head_dim).transpose(1, 2)
            k = k.view(b, t, self.kv_heads, self.head_dim).transpose(1, 2)
            v = v.view(b, t, self.kv_heads, self.head_dim).transpose(1, 2)
            q = q * cos + self.rotate_half(q) * sin
            k = k * cos + self.rotate_half(k) * sin
            if cache[i] is not None:
                k = torch.cat((cache[i][0], k), dim=2)
                v = torch.cat((cache[i][1], v), dim=2)
            cache[i] = (k, v)
            scores = (torch.matmul(q, self.repeat_kv(k).transpose(2, 3)) / math.sqrt(self.head_dim)).float()
            if mask is not None:
                scores = scores + mask
            attn = torch.matmul(scores.softmax(-1).to(q.dtype), self.repeat_kv(v))
            attn = attn.transpose(1, 2).reshape(b, t, self.heads * self.head_dim)
            x = x + self.proj(p + "self_attn.o_proj", attn)
            h = self.rms(x, w[p + "post_attention_layernorm.weight"])
            gate = self.proj(p + "mlp.gate_proj", h)
            up = self.proj(p + "mlp.up_proj", h)
            x = x + self.proj(p + "mlp.down_proj", F.silu(gate) * up)
        if all_positions:
            return F.linear(self.rms(x, self.w["model.norm.weight"]), self.head).float()
        x = self.rms(x[:, -1:, :], self.w["model.norm.weight"])
        return F.linear(x, self.head)[0, -1].float()


def check_device(device, dtype):
    """Exits with one clear line when this PyTorch cannot run DEVICE / DTYPE."""
    if dtype not in DTYPES:
        raise SystemExit(f"dtype {dtype} is not float32 or float16")
    if device.startswith("cuda") and not torch.cuda.is_available():
        raise SystemExit(f"this PyTorch ({torch.__version__}) has no CUDA device")
    if device == "cpu" and dtype == "float16":
        try:
            F.linear(torch.ones(2, 2, dtype=torch.float16), torch.ones(2, 2, dtype=torch.float16))
        except RuntimeError as e:
            raise SystemExit(f"this PyTorch ({torch.__version__}) has no float16 matrix product on the CPU: {e}")


def run(model, prompt, decode_tokens):
    cache = [None] * model.layers
    at = []
    t0 = time.perf_counter()
    token = int(torch.argmax(model.forward(torch.tensor([prompt], device=model.device), cache)))
    at.append(time.perf_counter())
    tokens = [token]
    for _ in range(decode_tokens):
        token = int(torch.argmax(model.forward(torch.tensor([[token]], device=model.device), cache)))
        at.append(time.perf_counter())
        tokens.append(token)
    return at[0] - t0, at[-1] - at[0], tokens


def main():
    model_dir, prompt_file, decode_tokens, repeat, threads = sys.argv[1:6]
    device = sys.argv[6] if len(sys.argv) > 6 else "cpu"
    dtype = sys.argv[7] if len(sys.argv) > 7 else "float32"
    decode_tokens, repeat, threads = int(decode_tokens), int(repeat), int(threads)
    torch.set_num_threads(threads)
    check_device(device, dtype)
    with open(os.path.join(model_dir, "config.json")) as f:
        cfg = json.load(f)
    with open(prompt_file) as f:
        prompt = json.load(f)
    l0 = time.perf_counter()
    model = Qwen2(cfg, place(load_safetensors(os.path.join(model_dir, "model.safetensors")), device, DTYPES[dtype]))
    load = time.perf_counter() - l0
    prefill, decode = [], []
    with torch.inference_mode():
        run(model, prompt, min(decode_tokens, 4))
        for _ in range(repeat):
            p, d, tokens = run(model, prompt, decode_tokens)
            prefill.append(p)
            decode.append(d)
    print(json.dumps({
        "torch": torch.__version__,
        "device": device,
        "dtype": dtype,
        "intra_op_threads": torch.get_num_threads(),
        "inter_op_threads": torch.get_num_interop_threads(),
        "openmp_environment": {k: os.environ[k] for k in ("OMP_WAIT_POLICY", "GOMP_SPINCOUNT") if k in os.environ},
        "load_s": load,
        "prefill_s": prefill,
        "decode_s": decode,
        "prefill_tok_s": len(prompt) / statistics.median(prefill),
        "decode_tok_s": decode_tokens / statistics.median(decode),
        "tokens": tokens,
    }))


if __name__ == "__main__":
    main()
