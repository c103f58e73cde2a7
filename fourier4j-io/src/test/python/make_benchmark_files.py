#!/usr/bin/python3
"""Makes the read benchmark's files: a RepLKNet-31B-shaped state dict of random float32 values
(about 79 M parameters, 316 MB, the official state dict's key structure) as a torch.save file and
as a safetensors file. They are large: write them outside the repository.

    /usr/bin/python3 fourier4j-io/src/test/python/make_benchmark_files.py /tmp/replknet31b

writes /tmp/replknet31b.pth and /tmp/replknet31b.safetensors. ReadBenchmark (test scope) reads
them; see its comment for the command.
"""
import collections
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_weight_files import write_safetensors  # noqa: E402


def replknet31b():
    """Shapes of RepLKNet-31B (channels 128-1024, layers 2-2-18-2, kernels 31-29-27-13)."""
    shapes = collections.OrderedDict()

    def bn(prefix, c):
        for name in ("weight", "bias", "running_mean", "running_var"):
            shapes[prefix + "." + name] = (c,)
        shapes[prefix + ".num_batches_tracked"] = ()

    def conv_bn(prefix, cout, cin_per_group, k):
        shapes[prefix + ".conv.weight"] = (cout, cin_per_group, k, k)
        bn(prefix + ".bn", cout)

    channels, layers, kernels = [128, 256, 512, 1024], [2, 2, 18, 2], [31, 29, 27, 13]
    conv_bn("stem.0", 128, 3, 3)
    conv_bn("stem.1", 128, 1, 3)
    conv_bn("stem.2", 128, 128, 1)
    conv_bn("stem.3", 128, 1, 3)
    for s, (c, n, k) in enumerate(zip(channels, layers, kernels)):
        for i in range(n):
            lk = "stages.%d.blocks.%d" % (s, 2 * i)
            conv_bn(lk + ".pw1", c, c, 1)
            conv_bn(lk + ".pw2", c, c, 1)
            conv_bn(lk + ".large_kernel.lkb_origin", c, 1, k)
            conv_bn(lk + ".large_kernel.small_conv", c, 1, 5)
            bn(lk + ".prelkb_bn", c)
            ffn = "stages.%d.blocks.%d" % (s, 2 * i + 1)
            bn(ffn + ".preffn_bn", c)
            conv_bn(ffn + ".pw1", 4 * c, c, 1)
            conv_bn(ffn + ".pw2", c, 4 * c, 1)
        if s < 3:
            conv_bn("transitions.%d.0" % s, channels[s + 1], c, 1)
            conv_bn("transitions.%d.1" % s, channels[s + 1], 1, 3)
    bn("norm", 1024)
    shapes["head.weight"] = (1000, 1024)
    shapes["head.bias"] = (1000,)
    return shapes


def main():
    if len(sys.argv) != 2:
        print(__doc__)
        sys.exit(2)
    base = sys.argv[1]
    g = torch.Generator().manual_seed(31)
    sd = collections.OrderedDict()
    for name, shape in replknet31b().items():
        if name.endswith("num_batches_tracked"):
            sd[name] = torch.tensor(0, dtype=torch.int64)
        else:
            sd[name] = torch.randn(shape, generator=g)
    params = sum(t.numel() for t in sd.values())
    torch.save(sd, base + ".pth")
    write_safetensors(base + ".safetensors", sd, {"format": "pt"})
    print("%d tensors, %d parameters -> %s.pth (%d bytes), %s.safetensors (%d bytes)" % (
        len(sd), params, base, os.path.getsize(base + ".pth"), base,
        os.path.getsize(base + ".safetensors")))


if __name__ == "__main__":
    main()
