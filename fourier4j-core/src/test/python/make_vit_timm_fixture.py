#!/usr/bin/env python3
"""Writes the ViT reference fixture used by ViTTimmTest (fourier4j-core test resources).

timm's ViT has no official-code fixture in this project, so this script is the reference: a small
PyTorch Vision Transformer written here (not copied) that follows the forward pass of timm's
`VisionTransformer` (timm/models/vision_transformer.py, global_pool='token'), with timm's
parameter names:

  patch_embed.proj (P x P conv, stride P) -> flatten, transpose -> prepend cls_token ->
  + pos_embed (pos_drop) -> blocks.N: x + attn(norm1(x)), then x + mlp(norm2(x)) with
  attn.qkv / attn.proj (multi-head softmax attention, scale head_dim^-0.5) and mlp.fc1 / GELU /
  mlp.fc2 -> norm -> head on the class token. Layer norms eps 1e-6, exact GELU.

Weights are drawn from a fixed seed so that every part of the network matters (the timm init
makes residual branches near-identities): weights N(0, 1/fan_in), biases N(0, 0.1), layer-norm
weights U(0.5, 1.5) and biases N(0, 0.1), cls_token and pos_embed N(0, 0.5^2).

Output (next to each other, safetensors, float32, keys sorted):
  vit-timm-tiny.safetensors     the state_dict
  vit-timm-tiny.io.safetensors  input (2, 3, 32, 32) ~ N(0, 1); logits; features (the head's
                                input); out.pos_drop (the tokens entering the blocks);
                                out.blocks.N (each block's output)

Run with Debian's python3-torch (PyTorch 1.13) and python3-numpy:
  python3 fourier4j-core/src/test/python/make_vit_timm_fixture.py \
      fourier4j-core/src/test/resources/org/fourier4j/models/official
"""

import json
import math
import struct
import sys
from pathlib import Path

import numpy as np
import torch
from torch import nn

NAME = "vit-timm-tiny"
CONFIG = dict(img_size=32, patch_size=8, in_chans=3, embed_dim=32, depth=2, num_heads=4,
              mlp_ratio=4, num_classes=10)
SEED = 2026
BATCH = 2


class Attention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x):
        b, n, d = x.shape
        head_dim = d // self.heads
        # rows of qkv: q, k, v, each split into heads
        parts = self.qkv(x).reshape(b, n, 3, self.heads, head_dim).permute(2, 0, 3, 1, 4)
        q, k, v = parts[0], parts[1], parts[2]
        weights = torch.softmax((q * head_dim ** -0.5) @ k.transpose(-2, -1), dim=-1)
        mixed = (weights @ v).transpose(1, 2).reshape(b, n, d)
        return self.proj(mixed)


class Mlp(nn.Module):
    def __init__(self, dim, hidden):
        super().__init__()
        self.fc1 = nn.Linear(dim, hidden)
        self.act = nn.GELU()
        self.fc2 = nn.Linear(hidden, dim)

    def forward(self, x):
        return self.fc2(self.act(self.fc1(x)))


class Block(nn.Module):
    def __init__(self, dim, heads, mlp_ratio):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim, eps=1e-6)
        self.attn = Attention(dim, heads)
        self.norm2 = nn.LayerNorm(dim, eps=1e-6)
        self.mlp = Mlp(dim, int(dim * mlp_ratio))

    def forward(self, x):
        x = x + self.attn(self.norm1(x))
        return x + self.mlp(self.norm2(x))


class PatchEmbed(nn.Module):
    def __init__(self, patch, in_chans, dim):
        super().__init__()
        self.proj = nn.Conv2d(in_chans, dim, kernel_size=patch, stride=patch)

    def forward(self, x):
        return self.proj(x).flatten(2).transpose(1, 2)


class VisionTransformer(nn.Module):
    def __init__(self, img_size, patch_size, in_chans, embed_dim, depth, num_heads, mlp_ratio,
                 num_classes):
        super().__init__()
        tokens = (img_size // patch_size) ** 2
        self.patch_embed = PatchEmbed(patch_size, in_chans, embed_dim)
        self.cls_token = nn.Parameter(torch.zeros(1, 1, embed_dim))
        self.pos_embed = nn.Parameter(torch.zeros(1, tokens + 1, embed_dim))
        self.pos_drop = nn.Identity()
        self.blocks = nn.Sequential(
            *[Block(embed_dim, num_heads, mlp_ratio) for _ in range(depth)])
        self.norm = nn.LayerNorm(embed_dim, eps=1e-6)
        self.head = nn.Linear(embed_dim, num_classes)

    def forward_features(self, x):
        x = self.patch_embed(x)
        cls = self.cls_token.expand(x.shape[0], -1, -1)
        x = self.pos_drop(torch.cat([cls, x], dim=1) + self.pos_embed)
        return self.norm(self.blocks(x))

    def forward(self, x):
        return self.head(self.forward_features(x)[:, 0])


def randomise(model, g):
    for name, p in model.named_parameters():
        with torch.no_grad():
            if name in ("cls_token", "pos_embed"):
                p.copy_(torch.randn(p.shape, generator=g) * 0.5)
            elif ".norm" in name or name.startswith("norm."):
                if name.endswith("weight"):
                    p.copy_(torch.rand(p.shape, generator=g) + 0.5)
                else:
                    p.copy_(torch.randn(p.shape, generator=g) * 0.1)
            elif p.dim() >= 2:
                fan_in = p[0].numel()
                p.copy_(torch.randn(p.shape, generator=g) / math.sqrt(fan_in))
            else:
                p.copy_(torch.randn(p.shape, generator=g) * 0.1)


def write_safetensors(path, tensors):
    """The safetensors layout: 8-byte little-endian header length, JSON header, raw data."""
    header = {"__metadata__": {"format": "pt"}}
    blobs = []
    offset = 0
    for key in sorted(tensors):
        data = np.ascontiguousarray(tensors[key].detach().numpy().astype("<f4")).tobytes()
        header[key] = {"dtype": "F32", "shape": list(tensors[key].shape),
                       "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)


def main():
    out_dir = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
    out_dir.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(SEED)
    model = VisionTransformer(**CONFIG).eval()
    randomise(model, torch.Generator().manual_seed(SEED))
    size = CONFIG["img_size"]
    x = torch.randn((BATCH, CONFIG["in_chans"], size, size),
                    generator=torch.Generator().manual_seed(SEED * 1000 + 7))
    outputs = {}
    hooks = [model.pos_drop.register_forward_hook(
        lambda m, i, o: outputs.__setitem__("out.pos_drop", o))]
    for n, block in enumerate(model.blocks):
        hooks.append(block.register_forward_hook(
            lambda m, i, o, n=n: outputs.__setitem__("out.blocks.%d" % n, o)))
    with torch.no_grad():
        features = model.forward_features(x)[:, 0]
        logits = model(x)
    for h in hooks:
        h.remove()
    io = dict(outputs, input=x, logits=logits, features=features)
    write_safetensors(out_dir / (NAME + ".safetensors"), model.state_dict())
    write_safetensors(out_dir / (NAME + ".io.safetensors"), io)
    print("wrote %s: %d parameters, max |logit| %.4f"
          % (NAME, sum(p.numel() for p in model.parameters()), logits.abs().max().item()))


if __name__ == "__main__":
    main()
