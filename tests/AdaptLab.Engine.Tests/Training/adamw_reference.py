# PyTorch's AdamW over given parameters and per-step gradients and learning rates; prints the parameters after
# every step. Reads {"parameters": [[...]], "gradients": [[[...]]], "rates": [...], "weight_decay": w, "beta2": b}.
import json
import sys

import torch

request = json.load(sys.stdin)
parameters = [torch.nn.Parameter(torch.tensor(p, dtype=torch.float32)) for p in request["parameters"]]
optimizer = torch.optim.AdamW(parameters, lr=request["rates"][0], betas=(0.9, request["beta2"]),
                              eps=1e-8, weight_decay=request["weight_decay"], foreach=False)
after = []
for rate, gradients in zip(request["rates"], request["gradients"]):
    for group in optimizer.param_groups:
        group["lr"] = rate
    for parameter, gradient in zip(parameters, gradients):
        parameter.grad = torch.tensor(gradient, dtype=torch.float32)
    optimizer.step()
    after.append([p.detach().tolist() for p in parameters])
json.dump(after, sys.stdout)
