# Writes a random-weight Hugging Face checkpoint (config.json and safetensors, single or sharded) and prints
# the logits of an independent plain-torch forward pass over the given tokens.
# The forward follows transformers' Llama/Mistral/Qwen2 code: rotate-half RoPE, repeat_kv for GQA, q/k/v bias
# for Qwen2, tied embeddings, llama3 rope scaling. Weights are rounded to the stored dtype, then run in float64.
import json, math, os, struct, sys
import torch

req = json.load(sys.stdin)
cfg, out_dir, dtype_name = req["config"], req["dir"], req["dtype"]
torch.manual_seed(req["seed"])
dtype = {"F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16}[dtype_name]
hidden, inter, layers = cfg["hidden_size"], cfg["intermediate_size"], cfg["num_hidden_layers"]
heads, kv_heads, vocab = cfg["num_attention_heads"], cfg["num_key_value_heads"], cfg["vocab_size"]
head_dim = cfg.get("head_dim") or hidden // heads
qwen2 = cfg["model_type"] == "qwen2"
tied = cfg.get("tie_word_embeddings", False)

def rand(*shape, scale=0.5):
    return (torch.rand(*shape) * 2 - 1) * scale

weights = {"model.embed_tokens.weight": rand(vocab, hidden), "model.norm.weight": 1 + rand(hidden, scale=0.2)}
for l in range(layers):
    p = f"model.layers.{l}."
    weights[p + "input_layernorm.weight"] = 1 + rand(hidden, scale=0.2)
    weights[p + "post_attention_layernorm.weight"] = 1 + rand(hidden, scale=0.2)
    weights[p + "self_attn.q_proj.weight"] = rand(heads * head_dim, hidden)
    weights[p + "self_attn.k_proj.weight"] = rand(kv_heads * head_dim, hidden)
    weights[p + "self_attn.v_proj.weight"] = rand(kv_heads * head_dim, hidden)
    weights[p + "self_attn.o_proj.weight"] = rand(hidden, heads * head_dim)
    if qwen2:
        weights[p + "self_attn.q_proj.bias"] = rand(heads * head_dim)
        weights[p + "self_attn.k_proj.bias"] = rand(kv_heads * head_dim)
        weights[p + "self_attn.v_proj.bias"] = rand(kv_heads * head_dim)
    weights[p + "mlp.gate_proj.weight"] = rand(inter, hidden)
    weights[p + "mlp.up_proj.weight"] = rand(inter, hidden)
    weights[p + "mlp.down_proj.weight"] = rand(hidden, inter)
if not tied:
    weights["lm_head.weight"] = rand(vocab, hidden)
stored = {name: w.to(dtype) for name, w in weights.items()}

def tensor_bytes(t):
    raw = t.contiguous().view(torch.int16) if t.element_size() == 2 else t.contiguous()
    return raw.numpy().astype(raw.numpy().dtype.newbyteorder("<")).tobytes()

def write_safetensors(path, names):
    header, blobs, offset = {"__metadata__": {"format": "pt"}}, [], 0
    for name in names:
        data = tensor_bytes(stored[name])
        header[name] = {"dtype": dtype_name, "shape": list(stored[name].shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data); offset += len(data)
    text = json.dumps(header).encode()
    text += b" " * (-len(text) % 8)  # as the safetensors library pads the header
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text))); f.write(text)
        for blob in blobs: f.write(blob)

os.makedirs(out_dir, exist_ok=True)
names = list(stored)
if req["sharded"]:
    half = len(names) // 2
    shards = {"model-00001-of-00002.safetensors": names[:half], "model-00002-of-00002.safetensors": names[half:]}
    for shard, shard_names in shards.items():
        write_safetensors(os.path.join(out_dir, shard), shard_names)
    index = {"metadata": {"total_size": 0}, "weight_map": {n: s for s, ns in shards.items() for n in ns}}
    json.dump(index, open(os.path.join(out_dir, "model.safetensors.index.json"), "w"))
else:
    write_safetensors(os.path.join(out_dir, "model.safetensors"), names)
json.dump(cfg, open(os.path.join(out_dir, "config.json"), "w"))

# The reference forward, in float64 from the stored (rounded) weights.
W = {name: t.to(torch.float64) for name, t in stored.items()}

# With "adapter": a PEFT LoRA folder applied as PEFT merges one, in Hugging Face's layout: each
# base_model.model.<module>.lora_A/B pair adds (lora_alpha / r) * B @ A to <module>.weight, and any other
# base_model.model.<module>.weight (modules_to_save) replaces the module's weight.
if req.get("adapter"):
    adapter_dir = req["adapter"]
    acfg = json.load(open(os.path.join(adapter_dir, "adapter_config.json")))
    assert acfg["peft_type"] == "LORA" and acfg["task_type"] == "CAUSAL_LM" and acfg["bias"] == "none", acfg
    scale = acfg["lora_alpha"] / acfg["r"]
    with open(os.path.join(adapter_dir, "adapter_model.safetensors"), "rb") as f:
        length = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(length))
        data = f.read()
    def read(name):
        entry = header[name]
        assert entry["dtype"] == "F32", entry
        begin, end = entry["data_offsets"]
        return torch.frombuffer(bytearray(data[begin:end]), dtype=torch.float32).reshape(entry["shape"]).to(torch.float64)
    for name in header:
        if name == "__metadata__" or name.endswith(".lora_B.weight"):
            continue
        assert name.startswith("base_model.model."), name
        module = name[len("base_model.model."):]
        if module.endswith(".lora_A.weight"):
            target = module[: -len(".lora_A.weight")] + ".weight"
            a, b = read(name), read(name.replace(".lora_A.", ".lora_B."))
            assert a.shape[0] == acfg["r"] and b.shape[1] == acfg["r"] and (b @ a).shape == W[target].shape, (name, a.shape, b.shape)
            W[target] = W[target] + scale * (b @ a)
        else:
            assert module in ("model.embed_tokens.weight", "lm_head.weight"), module
            W[module] = read(name)
eps, theta = cfg["rms_norm_eps"], cfg.get("rope_theta", 10000.0)

def inverse_frequencies():
    inv = [1.0 / theta ** (i / head_dim) for i in range(0, head_dim, 2)]
    rs = cfg.get("rope_scaling")
    if not rs:
        return torch.tensor(inv, dtype=torch.float64)
    factor, low, high, old = rs["factor"], rs["low_freq_factor"], rs["high_freq_factor"], rs["original_max_position_embeddings"]
    out = []
    for f in inv:
        wavelen = 2 * math.pi / f
        if wavelen < old / high:
            out.append(f)
        elif wavelen > old / low:
            out.append(f / factor)
        else:
            smooth = (old / wavelen - low) / (high - low)
            out.append((1 - smooth) * f / factor + smooth * f)
    return torch.tensor(out, dtype=torch.float64)

def rms_norm(x, w):
    return w * x / torch.sqrt((x * x).mean(-1, keepdim=True) + eps)

def rotate_half(x):
    half = x.shape[-1] // 2
    return torch.cat([-x[..., half:], x[..., :half]], -1)

tokens = torch.tensor(req["tokens"])
T = len(tokens)
angles = torch.arange(T, dtype=torch.float64)[:, None] * inverse_frequencies()[None, :]
cos, sin = torch.cat([angles, angles], -1).cos()[:, None, :], torch.cat([angles, angles], -1).sin()[:, None, :]
mask = torch.full((T, T), float("-inf"), dtype=torch.float64).triu(1)
x = W["model.embed_tokens.weight"][tokens]
for l in range(layers):
    p = f"model.layers.{l}."
    h = rms_norm(x, W[p + "input_layernorm.weight"])
    def proj(name):
        y = h @ W[p + f"self_attn.{name}_proj.weight"].T
        return y + W[p + f"self_attn.{name}_proj.bias"] if qwen2 else y
    q = proj("q").view(T, heads, head_dim); k = proj("k").view(T, kv_heads, head_dim); v = proj("v").view(T, kv_heads, head_dim)
    q = q * cos + rotate_half(q) * sin
    k = k * cos + rotate_half(k) * sin
    k = k.repeat_interleave(heads // kv_heads, dim=1); v = v.repeat_interleave(heads // kv_heads, dim=1)
    scores = torch.einsum("thd,shd->hts", q, k) / math.sqrt(head_dim) + mask
    attended = torch.einsum("hts,shd->thd", scores.softmax(-1), v).reshape(T, heads * head_dim)
    x = x + attended @ W[p + "self_attn.o_proj.weight"].T
    h = rms_norm(x, W[p + "post_attention_layernorm.weight"])
    gate = h @ W[p + "mlp.gate_proj.weight"].T
    x = x + (torch.nn.functional.silu(gate) * (h @ W[p + "mlp.up_proj.weight"].T)) @ W[p + "mlp.down_proj.weight"].T
x = rms_norm(x, W["model.norm.weight"])
classifier = W["lm_head.weight"] if "lm_head.weight" in W else W["model.embed_tokens.weight"]
print(json.dumps((x @ classifier.T).tolist()))
