# The PyTorch side of AdaptLab.Engine.Bench (Debian's python3-torch, run as /usr/bin/python3).
#
#   torch_llama.py write-hf DIR SEED   writes a random-weight model of SmolLM2-135M's shape as a Hugging Face
#                                      directory (config.json, model.safetensors in F32, a byte-level tokenizer.json)
#   torch_llama.py run < request.json  times the forward pass the same way the engine's worker does and prints
#                                      one JSON object (tokens/s medians, greedy tokens, peak RSS)
#
# The forward is a plain-torch Llama with a preallocated KV cache, written the way transformers' LlamaModel
# computes it (separate q/k/v projections, rotate-half RoPE, repeat_kv for grouped heads, SwiGLU), run under
# torch.inference_mode. It loads the same files the engine loads: a Hugging Face directory, or a llama2.c
# checkpoint whose q/k rows are permuted from Meta's interleaved RoPE layout to the rotate-half one.
import json, math, os, resource, struct, sys, time
import torch
import torch.nn.functional as F

SMOLLM2_135M_SHAPE = {
    "architectures": ["LlamaForCausalLM"], "model_type": "llama", "hidden_size": 576, "intermediate_size": 1536,
    "num_hidden_layers": 30, "num_attention_heads": 9, "num_key_value_heads": 3, "vocab_size": 49152,
    "max_position_embeddings": 8192, "rms_norm_eps": 1e-5, "rope_theta": 100000.0, "hidden_act": "silu",
    "tie_word_embeddings": True, "initializer_range": 0.02, "bos_token_id": 0, "eos_token_id": 0,
}


# ---------------------------------------------------------------- writing the random model
def byte_level_alphabet():
    """GPT-2's byte-to-character table, which byte-level BPE vocabularies are written in."""
    printable = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    chars, extra = {}, 0
    for b in range(256):
        if b in printable:
            chars[b] = chr(b)
        else:
            chars[b] = chr(256 + extra)
            extra += 1
    return chars


def write_tokenizer(path, vocab_size):
    """Byte-level BPE: id 0 ends text, ids 1-256 are the bytes, and every further id up to the model's vocabulary
    is a two-byte token (no merges reach them, but a random model samples them, so they must decode)."""
    alphabet = byte_level_alphabet()
    vocab = {"<|endoftext|>": 0}
    vocab.update({alphabet[b]: b + 1 for b in range(256)})
    pairs = ((a, b) for a in range(256) for b in range(256))
    while len(vocab) < vocab_size:
        a, b = next(pairs)
        vocab[alphabet[a] + alphabet[b]] = len(vocab)
    byte_level = {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": False, "use_regex": True}
    tokenizer = {
        "version": "1.0",
        "added_tokens": [{"id": 0, "content": "<|endoftext|>", "single_word": False, "lstrip": False, "rstrip": False,
                          "normalized": False, "special": True}],
        "normalizer": None, "pre_tokenizer": byte_level, "post_processor": byte_level, "decoder": byte_level,
        "model": {"type": "BPE", "vocab": vocab, "merges": []},
    }
    with open(path, "w") as f:
        json.dump(tokenizer, f)


def write_safetensors(path, tensors):
    header, offset = {"__metadata__": {"format": "pt"}}, 0
    for name, t in tensors.items():
        size = t.numel() * 4
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + size]}
        offset += size
    text = json.dumps(header).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for t in tensors.values():
            f.write(t.contiguous().numpy().tobytes())


def write_hf(directory, seed):
    cfg = SMOLLM2_135M_SHAPE
    torch.manual_seed(seed)
    hidden, inter, heads, kv_heads = cfg["hidden_size"], cfg["intermediate_size"], cfg["num_attention_heads"], cfg["num_key_value_heads"]
    head_dim = hidden // heads

    def normal(*shape):
        return torch.randn(*shape) * cfg["initializer_range"]

    weights = {"model.embed_tokens.weight": normal(cfg["vocab_size"], hidden)}
    for l in range(cfg["num_hidden_layers"]):
        p = f"model.layers.{l}."
        weights[p + "input_layernorm.weight"] = torch.ones(hidden)
        weights[p + "self_attn.q_proj.weight"] = normal(heads * head_dim, hidden)
        weights[p + "self_attn.k_proj.weight"] = normal(kv_heads * head_dim, hidden)
        weights[p + "self_attn.v_proj.weight"] = normal(kv_heads * head_dim, hidden)
        weights[p + "self_attn.o_proj.weight"] = normal(hidden, heads * head_dim)
        weights[p + "post_attention_layernorm.weight"] = torch.ones(hidden)
        weights[p + "mlp.gate_proj.weight"] = normal(inter, hidden)
        weights[p + "mlp.up_proj.weight"] = normal(inter, hidden)
        weights[p + "mlp.down_proj.weight"] = normal(hidden, inter)
    weights["model.norm.weight"] = torch.ones(hidden)
    os.makedirs(directory, exist_ok=True)
    write_safetensors(os.path.join(directory, "model.safetensors"), weights)
    write_tokenizer(os.path.join(directory, "tokenizer.json"), cfg["vocab_size"])
    # config.json last: the bench treats a directory with config.json as complete.
    with open(os.path.join(directory, "config.json"), "w") as f:
        json.dump({**cfg, "bench_seed": seed}, f)


# ---------------------------------------------------------------- loading
def read_safetensors(path):
    # Each tensor is read straight into its own storage, so the peak memory is the weights, not twice them.
    out = {}
    with open(path, "rb") as f:
        (length,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(length))
        for name, entry in header.items():
            if name == "__metadata__":
                continue
            if entry["dtype"] != "F32":
                raise ValueError(f"{path}: {name} is {entry['dtype']}; the bench writes F32")
            t = torch.empty(entry["shape"], dtype=torch.float32)
            f.seek(8 + length + entry["data_offsets"][0])
            f.readinto(memoryview(t.numpy()).cast("B"))
            out[name] = t
    return out


def load_hf(directory):
    with open(os.path.join(directory, "config.json")) as f:
        cfg = json.load(f)
    w = read_safetensors(os.path.join(directory, "model.safetensors"))
    heads, kv_heads = cfg["num_attention_heads"], cfg["num_key_value_heads"]
    return Llama(
        dim=cfg["hidden_size"], layers=cfg["num_hidden_layers"], heads=heads, kv_heads=kv_heads, vocab=cfg["vocab_size"],
        max_len=cfg["max_position_embeddings"], eps=cfg["rms_norm_eps"], theta=cfg["rope_theta"],
        embed=w["model.embed_tokens.weight"], norm=w["model.norm.weight"],
        classifier=w["model.embed_tokens.weight"] if cfg.get("tie_word_embeddings") else w["lm_head.weight"],
        layer_weights=[{part: w[f"model.layers.{l}.{name}.weight"] for part, name in LAYER_PARTS.items()} for l in range(cfg["num_hidden_layers"])])


LAYER_PARTS = {"attn_norm": "input_layernorm", "q": "self_attn.q_proj", "k": "self_attn.k_proj", "v": "self_attn.v_proj",
               "o": "self_attn.o_proj", "ffn_norm": "post_attention_layernorm", "gate": "mlp.gate_proj",
               "up": "mlp.up_proj", "down": "mlp.down_proj"}


def load_llama2c(path):
    """llama2.c's legacy export: 7 int32 header fields, then fp32 weights stacked per kind over the layers."""
    with open(path, "rb") as f:
        dim, hidden, layers, heads, kv_heads, vocab, max_len = struct.unpack("<7i", f.read(28))
        floats = torch.empty((os.path.getsize(path) - 28) // 4, dtype=torch.float32)
        f.readinto(memoryview(floats.numpy()).cast("B"))
    shared, vocab = vocab > 0, abs(vocab)
    head_dim, offset = dim // heads, 0

    def take(*shape):
        nonlocal offset
        count = math.prod(shape)
        t = floats[offset:offset + count].view(shape)
        offset += count
        return t

    embed = take(vocab, dim)
    stacked = {"attn_norm": take(layers, dim), "q": take(layers, dim, dim), "k": take(layers, kv_heads * head_dim, dim),
               "v": take(layers, kv_heads * head_dim, dim), "o": take(layers, dim, dim), "ffn_norm": take(layers, dim),
               "gate": take(layers, hidden, dim), "down": take(layers, dim, hidden), "up": take(layers, hidden, dim)}
    norm = take(dim)
    take(max_len * head_dim)  # llama2.c's RoPE tables; recomputed
    classifier = embed if shared else take(vocab, dim)

    def to_rotate_half(rows, n):
        # Meta pairs dimensions (2i, 2i+1) of each head; rotate-half pairs i with i + head_dim/2.
        return rows.view(n, head_dim // 2, 2, dim).transpose(1, 2).reshape(n * head_dim, dim)

    layer_weights = []
    for l in range(layers):
        lw = {part: t[l] for part, t in stacked.items()}
        lw["q"], lw["k"] = to_rotate_half(lw["q"], heads), to_rotate_half(lw["k"], kv_heads)
        layer_weights.append(lw)
    return Llama(dim=dim, layers=layers, heads=heads, kv_heads=kv_heads, vocab=vocab, max_len=max_len, eps=1e-5,
                 theta=10000.0, embed=embed, norm=norm, classifier=classifier, layer_weights=layer_weights)


# ---------------------------------------------------------------- the model
class Llama:
    def __init__(self, dim, layers, heads, kv_heads, vocab, max_len, eps, theta, embed, norm, classifier, layer_weights):
        self.dim, self.heads, self.kv_heads, self.vocab, self.max_len, self.eps = dim, heads, kv_heads, vocab, max_len, eps
        self.head_dim = dim // heads
        self.embed, self.norm_weight, self.classifier, self.layer_weights = embed, norm, classifier, layer_weights
        inv = 1.0 / theta ** (torch.arange(0, self.head_dim, 2, dtype=torch.float64) / self.head_dim)
        angles = torch.outer(torch.arange(max_len, dtype=torch.float64), inv)
        angles = torch.cat([angles, angles], -1)
        self.cos, self.sin = angles.cos().float(), angles.sin().float()

    def new_cache(self, batch, length):
        shape = (batch, self.kv_heads, length, self.head_dim)
        return {"length": 0, "k": [torch.zeros(shape) for _ in self.layer_weights], "v": [torch.zeros(shape) for _ in self.layer_weights]}

    def rms_norm(self, x, weight):
        return weight * (x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps))

    @staticmethod
    def rotate_half(x):
        half = x.shape[-1] // 2
        return torch.cat((-x[..., half:], x[..., :half]), dim=-1)

    def next_token_logits(self, tokens, cache):
        """Logits [B, vocab] of the last position; tokens [B, T] continue the cached positions."""
        batch, length = tokens.shape
        start = cache["length"]
        end = start + length
        cos, sin = self.cos[start:end][None, None], self.sin[start:end][None, None]
        mask = None
        if length > 1:
            mask = torch.full((length, end), float("-inf")).triu(start + 1)
        x = F.embedding(tokens, self.embed)
        groups = self.heads // self.kv_heads
        for layer, w in enumerate(self.layer_weights):
            h = self.rms_norm(x, w["attn_norm"])
            q = F.linear(h, w["q"]).view(batch, length, self.heads, self.head_dim).transpose(1, 2)
            k = F.linear(h, w["k"]).view(batch, length, self.kv_heads, self.head_dim).transpose(1, 2)
            v = F.linear(h, w["v"]).view(batch, length, self.kv_heads, self.head_dim).transpose(1, 2)
            q = q * cos + self.rotate_half(q) * sin
            k = k * cos + self.rotate_half(k) * sin
            cache["k"][layer][:, :, start:end] = k
            cache["v"][layer][:, :, start:end] = v
            keys = cache["k"][layer][:, :, :end].repeat_interleave(groups, dim=1)
            values = cache["v"][layer][:, :, :end].repeat_interleave(groups, dim=1)
            scores = torch.matmul(q, keys.transpose(2, 3)) / math.sqrt(self.head_dim)
            if mask is not None:
                scores = scores + mask
            attended = torch.matmul(scores.softmax(-1), values).transpose(1, 2).reshape(batch, length, self.dim)
            x = x + F.linear(attended, w["o"])
            h = self.rms_norm(x, w["ffn_norm"])
            x = x + F.linear(F.silu(F.linear(h, w["gate"])) * F.linear(h, w["up"]), w["down"])
        cache["length"] = end
        return F.linear(self.rms_norm(x[:, -1], self.norm_weight), self.classifier)


# ---------------------------------------------------------------- timing, mirrored by the engine's worker
def prompt_tokens(vocab, row, length):
    """The deterministic prompts both sides run: row r, position i holds (1 + 7i + 31r) mod vocab."""
    return [(1 + 7 * i + 31 * row) % vocab for i in range(length)]


def time_prefill(model, length):
    tokens = torch.tensor([prompt_tokens(model.vocab, 0, length)])
    began = time.perf_counter()
    cache = model.new_cache(1, length)
    model.next_token_logits(tokens, cache)
    return length / (time.perf_counter() - began)


def time_decode(model, batch, prompt, steps):
    tokens = torch.tensor([prompt_tokens(model.vocab, r, prompt) for r in range(batch)])
    cache = model.new_cache(batch, prompt + steps)
    next_tokens = model.next_token_logits(tokens, cache).argmax(-1, keepdim=True)
    generated = []
    began = time.perf_counter()
    for _ in range(steps):
        next_tokens = model.next_token_logits(next_tokens, cache).argmax(-1, keepdim=True)
        generated.append(next_tokens)
    rate = batch * steps / (time.perf_counter() - began)
    return rate, torch.cat(generated, 1)[0].tolist()


def median(values):
    ordered = sorted(values)
    return ordered[len(ordered) // 2]


def sgemm_gflops(size, runs):
    a, b = torch.randn(size, size), torch.randn(size, size)
    torch.mm(a, b)
    rates = []
    for _ in range(runs):
        began = time.perf_counter()
        torch.mm(a, b)
        rates.append(2 * size ** 3 / (time.perf_counter() - began) / 1e9)
    return median(rates)


def timed(runs, warmup_seconds, measure):
    """runs measurements after warming up for warmup_seconds (at least one run), as the engine's worker does."""
    began = time.perf_counter()
    measure()
    while time.perf_counter() - began < warmup_seconds:
        measure()
    return [measure() for _ in range(runs)]


def run(request):
    torch.set_num_threads(request["threads"])
    path = request["model"]
    model = load_hf(path) if os.path.isdir(path) else load_llama2c(path)
    runs, prompt, steps, warmup = request["runs"], request["decode_prompt"], request["decode_steps"], request["warmup_seconds"]
    result = {"threads": torch.get_num_threads(), "blas": blas_name()}
    with torch.inference_mode():
        prefill = timed(runs, warmup, lambda: time_prefill(model, request["prefill"]))
        result["prefill"] = median(prefill)
        result["decode"] = {}
        for batch in request["decode_batches"]:
            rates = timed(runs, warmup, lambda: time_decode(model, batch, prompt, steps))
            result["decode"][str(batch)] = median([rate for rate, _ in rates])
            if batch == 1:
                result["greedy"] = rates[-1][1]
        # Read before the matmul timing, whose matrices are not part of the model's footprint.
        result["peak_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        if request.get("sgemm"):
            result["sgemm_gflops"] = sgemm_gflops(request["sgemm"], runs)
    print(json.dumps(result))


def blas_name():
    """The BLAS library this process loaded (Debian's torch uses whichever libblas.so.3 the environment selects)."""
    with open("/proc/self/maps") as maps:
        paths = {line.split()[-1] for line in maps if "blas" in line.lower()}
    return ", ".join(sorted(os.path.realpath(p) for p in paths)) or "none"


if __name__ == "__main__":
    if sys.argv[1] == "write-hf":
        write_hf(sys.argv[2], int(sys.argv[3]))
    elif sys.argv[1] == "run":
        run(json.load(sys.stdin))
    else:
        raise SystemExit(f"unknown command {sys.argv[1]}; expected write-hf or run")
