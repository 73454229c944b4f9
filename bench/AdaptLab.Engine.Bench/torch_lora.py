# The PyTorch side of `AdaptLab.Engine.Bench lora` (Debian's python3-torch, run as /usr/bin/python3).
#
#   torch_lora.py < request.json   times LoRA training steps and prints one JSON object (tokens/s median, loss, peak RSS)
#
# One step, as the engine's side runs it: a batch of random tokens through a plain-torch Llama (transformers'
# LlamaModel arithmetic: rotate-half RoPE, repeated kv heads, SwiGLU; PyTorch 1.13 has no fused attention, so
# attention is the masked softmax product), cross-entropy over every position in float32, backward, AdamW on the
# adapters. The base is frozen; LoRA (PEFT's definition: W x + (alpha / r) B A x) on the target projections.
import json, math, os, resource, sys, time
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_llama import read_safetensors  # noqa: E402


def main(req):
    torch.set_num_threads(req["threads"])
    torch.manual_seed(req["seed"])
    dtype = {"fp32": torch.float32, "bf16": torch.bfloat16}[req["dtype"]]
    with open(os.path.join(req["model"], "config.json")) as f:
        cfg = json.load(f)
    weights = {name: t.to(dtype) for name, t in read_safetensors(os.path.join(req["model"], "model.safetensors")).items()}
    layers, heads, kv_heads = cfg["num_hidden_layers"], cfg["num_attention_heads"], cfg["num_key_value_heads"]
    dim, vocab, eps = cfg["hidden_size"], cfg["vocab_size"], cfg["rms_norm_eps"]
    head_dim = dim // heads
    rank, scale = req["rank"], req["alpha"] / req["rank"]

    adapters = {}
    for l in range(layers):
        for target in req["targets"]:
            w = weights[f"model.layers.{l}.self_attn.{target}.weight"]
            a = ((torch.rand(rank, w.shape[1]) * 2 - 1) / math.sqrt(w.shape[1])).to(dtype).requires_grad_()
            b = torch.zeros(w.shape[0], rank, dtype=dtype, requires_grad=True)
            adapters[(l, target)] = (a, b)
    optimizer = torch.optim.AdamW([p for pair in adapters.values() for p in pair], lr=1e-4)

    batch, length = req["batch"], req["length"]
    inv = 1.0 / cfg["rope_theta"] ** (torch.arange(0, head_dim, 2, dtype=torch.float64) / head_dim)
    angles = torch.outer(torch.arange(length, dtype=torch.float64), inv)
    angles = torch.cat([angles, angles], -1)
    cos, sin = angles.cos().to(dtype), angles.sin().to(dtype)
    mask = torch.full((length, length), float("-inf"), dtype=dtype).triu(1)
    embed = weights["model.embed_tokens.weight"]
    classifier = weights.get("lm_head.weight", embed)

    def rms(x, w):
        return w * (x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps))

    def rotate(x):
        half = x.shape[-1] // 2
        return x * cos + torch.cat((-x[..., half:], x[..., :half]), dim=-1) * sin

    def project(h, l, name):
        y = F.linear(h, weights[f"model.layers.{l}.self_attn.{name}.weight"])
        if (l, name) in adapters:
            a, b = adapters[(l, name)]
            y = y + F.linear(F.linear(h, a), b) * scale
        return y

    def loss_of(tokens, targets):
        x = F.embedding(tokens, embed)
        for l in range(layers):
            p = f"model.layers.{l}."
            h = rms(x, weights[p + "input_layernorm.weight"])
            q = project(h, l, "q_proj").view(batch, length, heads, head_dim).transpose(1, 2)
            k = project(h, l, "k_proj").view(batch, length, kv_heads, head_dim).transpose(1, 2)
            v = project(h, l, "v_proj").view(batch, length, kv_heads, head_dim).transpose(1, 2)
            q, k = rotate(q), rotate(k)
            k = k.repeat_interleave(heads // kv_heads, dim=1)
            v = v.repeat_interleave(heads // kv_heads, dim=1)
            scores = (q @ k.transpose(-1, -2)) / math.sqrt(head_dim) + mask
            attended = (scores.softmax(-1) @ v).transpose(1, 2).reshape(batch, length, heads * head_dim)
            x = x + project(attended, l, "o_proj")
            h = rms(x, weights[p + "post_attention_layernorm.weight"])
            gated = F.silu(F.linear(h, weights[p + "mlp.gate_proj.weight"])) * F.linear(h, weights[p + "mlp.up_proj.weight"])
            x = x + F.linear(gated, weights[p + "mlp.down_proj.weight"])
        logits = F.linear(rms(x, weights["model.norm.weight"]), classifier)
        return F.cross_entropy(logits.float().view(-1, vocab), targets.view(-1))

    generator = torch.Generator().manual_seed(req["seed"])
    tokens = torch.randint(0, vocab, (batch, length + 1), generator=generator)
    inputs, targets = tokens[:, :-1].contiguous(), tokens[:, 1:].contiguous()

    def step():
        start = time.perf_counter()
        optimizer.zero_grad(set_to_none=True)
        loss = loss_of(inputs, targets)
        loss.backward()
        optimizer.step()
        return time.perf_counter() - start, loss.item()

    for _ in range(req["warmup"]):
        step()
    timed = [step() for _ in range(req["steps"])]
    seconds = sorted(t for t, _ in timed)[len(timed) // 2]
    return {
        "tokens_per_second": batch * length / seconds,
        "loss": timed[-1][1],
        "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "threads": torch.get_num_threads(),
    }


if __name__ == "__main__":
    print(json.dumps(main(json.load(sys.stdin))))
