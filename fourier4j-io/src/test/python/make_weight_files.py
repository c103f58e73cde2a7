#!/usr/bin/python3
"""Makes (and checks) the small reference weight files of fourier4j-io's tests.

Run with Debian's PyTorch (apt-get install -y python3-torch python3-numpy; torch 1.13):

    /usr/bin/python3 fourier4j-io/src/test/python/make_weight_files.py make
        writes the reference files into fourier4j-io/src/test/resources/org/fourier4j/io/weights/

    /usr/bin/python3 fourier4j-io/src/test/python/make_weight_files.py verify
        loads the files that fourier4j's writers produced (written-by-fourier4j.*, committed
        beside the others by WriteReferenceFiles, a test-scope main) with torch.load(...,
        weights_only=True) and with this script's safetensors reader, and checks them against
        the tensors this script generates.

The tests never run Python: they read the committed files.

Every .pth comes with a .safetensors of the same tensors made contiguous ("<name>.expected.
safetensors"), written by write_safetensors below, which follows the format description of
https://github.com/huggingface/safetensors (8-byte little-endian header length, compact JSON
header padded with spaces to a multiple of 8, tensors ordered like the official writer: larger
dtypes first, then by name). torch 1.13 has no safetensors package.
"""
import argparse
import collections
import io
import json
import os
import shutil
import struct
import sys
import zipfile

import numpy as np
import torch

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "org",
                   "fourier4j", "io", "weights")

ST_NAME = {torch.float64: "F64", torch.float32: "F32", torch.float16: "F16",
           torch.bfloat16: "BF16", torch.int64: "I64", torch.int32: "I32", torch.int16: "I16",
           torch.int8: "I8", torch.uint8: "U8", torch.bool: "BOOL"}
# the official Dtype enum order (alignment order): the writer sorts by it, descending
ST_RANK = {"BOOL": 0, "U8": 1, "I8": 2, "I16": 3, "F16": 4, "BF16": 5, "I32": 6, "F32": 7,
           "F64": 8, "I64": 9}
TORCH_OF = {v: k for k, v in ST_NAME.items()}


def raw_bytes(t):
    t = t.detach().contiguous()
    if t.dtype == torch.bfloat16:
        return t.view(torch.int16).numpy().astype("<i2").tobytes()
    return t.numpy().tobytes()  # little-endian on x86


def write_safetensors(path, tensors, metadata=None):
    items = sorted(tensors.items(), key=lambda kv: (-ST_RANK[ST_NAME[kv[1].dtype]],
                                                    kv[0].encode("utf-8")))
    header = collections.OrderedDict()
    if metadata:
        header["__metadata__"] = metadata
    offset = 0
    blobs = []
    for name, t in items:
        data = raw_bytes(t)
        header[name] = {"dtype": ST_NAME[t.dtype], "shape": list(t.shape),
                        "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
        blobs.append(data)
    text = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)


def read_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    n = struct.unpack("<Q", data[:8])[0]
    header = json.loads(data[8:8 + n].decode("utf-8"))
    meta = header.pop("__metadata__", {})
    base = 8 + n
    out = {}
    for name, info in header.items():
        b, e = info["data_offsets"]
        dtype = TORCH_OF[info["dtype"]]
        chunk = bytearray(data[base + b:base + e])
        if dtype == torch.bfloat16:
            t = torch.frombuffer(chunk, dtype=torch.int16).view(torch.bfloat16) if chunk else \
                torch.empty(0, dtype=dtype)
        else:
            t = torch.frombuffer(chunk, dtype=dtype) if chunk else torch.empty(0, dtype=dtype)
        out[name] = t.reshape(info["shape"]).clone()
    assert base + max([0] + [i["data_offsets"][1] for i in header.values()]) == len(data)
    return out, meta


def dtype_tensors():
    """One tensor per dtype, with the special values of each."""
    g = torch.Generator().manual_seed(4)
    f16_special = torch.tensor([0.0, -0.0, 2.0 ** -24, 2.0 ** -14, 65504.0, -65504.0,
                                float("inf"), float("-inf"), float("nan"), 1.0 / 3.0, -2.5,
                                6.1e-5], dtype=torch.float32).to(torch.float16)
    bf16_special = torch.tensor([0.0, -0.0, 1e-40, 3.3895e38, -3.3895e38, float("inf"),
                                 float("-inf"), float("nan"), 1.0 / 3.0, 9.18e-41, 1.5, -7.0],
                                dtype=torch.float32).to(torch.bfloat16)
    sd = collections.OrderedDict()
    sd["f64.values"] = torch.tensor([[1.0 / 3.0, -0.0, 1e-310, float("inf")],
                                     [float("nan"), 2.0 ** 60, -1e300, 5e-324]],
                                    dtype=torch.float64)
    sd["f32.weight"] = torch.randn(3, 4, 5, generator=g)
    sd["f32.scalar"] = torch.tensor(3.25, dtype=torch.float32)
    sd["f32.empty"] = torch.zeros(0, 3, dtype=torch.float32)
    sd["f16.special"] = f16_special.reshape(3, 4)
    sd["bf16.special"] = bf16_special.reshape(2, 6)
    sd["i64.values"] = torch.tensor([0, -1, 2 ** 62, -2 ** 63, 2 ** 63 - 1, 12345678901],
                                    dtype=torch.int64)
    sd["i64.num_batches_tracked"] = torch.tensor(7, dtype=torch.int64)
    sd["i32.values"] = torch.tensor([[-2 ** 31, 2 ** 31 - 1], [0, -5]], dtype=torch.int32)
    sd["i16.values"] = torch.tensor([-32768, 32767, 0, -1, 300], dtype=torch.int16)
    sd["i8.values"] = torch.tensor([-128, 127, 0, -1], dtype=torch.int8)
    sd["u8.values"] = torch.tensor([0, 255, 128, 7], dtype=torch.uint8)
    sd["bool.mask"] = torch.tensor([[True, False, True], [False, False, True]])
    return sd


def view_tensors():
    """Views: transposes, slices and tensors that share one storage with offsets."""
    base = torch.arange(24, dtype=torch.float32).reshape(4, 6) * 0.5 - 3.0
    cube = torch.arange(60, dtype=torch.int16).reshape(3, 4, 5)
    sd = collections.OrderedDict()
    sd["base"] = base
    sd["transposed"] = base.t()
    sd["row"] = base[2]
    sd["column"] = base[:, 3]
    sd["block"] = base[1:3, 2:5]
    sd["strided"] = base[::2, 1::2]
    sd["cube.permuted"] = cube.permute(2, 0, 1)
    sd["cube.slice"] = cube[1:, :, 2]
    sd["single"] = base[3, 4]
    for name, t in sd.items():
        if name in ("transposed", "column", "block", "strided", "cube.permuted", "cube.slice"):
            assert not t.is_contiguous(), name
    return sd


def small_model():
    torch.manual_seed(1)
    net = torch.nn.Sequential(torch.nn.Conv2d(3, 4, 3), torch.nn.BatchNorm2d(4),
                              torch.nn.Flatten(), torch.nn.Linear(4, 2))
    return net.state_dict()


def save(obj, name, **kwargs):
    path = os.path.join(OUT, name)
    torch.save(obj, path, **kwargs)
    return path


def expected(sd, name):
    write_safetensors(os.path.join(OUT, name), {k: v.contiguous() for k, v in sd.items()},
                      {"format": "pt"})


def hand_made_zip(name, pickle_bytes, storages=None, root="archive", compress=False):
    """A torch.save-like zip with a pickle written by hand (never produced by torch)."""
    path = os.path.join(OUT, name)
    method = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
    records = [(root + "/data.pkl", pickle_bytes)]
    records += [(root + "/data/" + key, data) for key, data in (storages or {}).items()]
    records.append((root + "/version", b"3\n"))
    with zipfile.ZipFile(path, "w", compression=method) as z:
        for name, data in records:
            z.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), data,
                       compress_type=method)
    return path


def make():
    if os.path.isdir(OUT):
        for f in os.listdir(OUT):
            if not f.startswith("written-by-fourier4j"):
                os.remove(os.path.join(OUT, f))
    os.makedirs(OUT, exist_ok=True)

    dtypes = dtype_tensors()
    save(dtypes, "dtypes.pth")
    expected(dtypes, "dtypes.expected.safetensors")
    # torch's own bfloat16 -> float32 conversion of every 64th bit pattern (all exponents, both
    # signs, subnormals, infinities, NaNs) and of the patterns next to the special values
    patterns = sorted(set(range(0, 65536, 64)) | {0x0001, 0x007f, 0x0080, 0x7f7f, 0x7f80, 0x7f81,
                                                   0x7fc0, 0x7fff, 0x8001, 0xff80, 0xffc1})
    bits = torch.tensor([p - 65536 if p > 32767 else p for p in patterns], dtype=torch.int16)
    bf16 = bits.view(torch.bfloat16)
    write_safetensors(os.path.join(OUT, "bf16-reference.safetensors"),
                      {"bf16": bf16, "f32": bf16.float()})
    views = view_tensors()
    save(views, "views.pth")
    expected(views, "views.expected.safetensors")
    save(views, "views-protocol4.pth", pickle_protocol=4)

    sd = small_model()
    expected(sd, "model.expected.safetensors")
    save(sd, "bare.pth")
    save({"model": sd, "epoch": 7, "arch": "tiny"}, "wrapped-model.pth")
    save({"state_dict": sd, "optimizer": {"state": {}, "param_groups": [
        {"lr": 0.1, "betas": (0.9, 0.999), "params": [0, 1, 2]}]}, "epoch": 3},
         "wrapped-state_dict.pth")
    ema = collections.OrderedDict((k, v * 2 if v.is_floating_point() else v)
                                  for k, v in sd.items())
    expected(ema, "model-ema.expected.safetensors")
    save({"model_ema": ema}, "wrapped-model_ema.pth")
    save({"model": sd, "model_ema": ema, "epoch": 9}, "wrapped-model-and-ema.pth")
    save({"net": sd, "opt": {"lr": 0.1}}, "wrapped-other-key.pth")
    save({"weights_a": sd, "weights_b": ema}, "wrapped-two-candidates.pth")
    save(collections.OrderedDict(("module." + k, v) for k, v in sd.items()), "dataparallel.pth")
    save({k: torch.nn.Parameter(v.float()) for k, v in sd.items()
          if v.is_floating_point()}, "parameters.pth")

    # the archive folder is the file's stem when saved: save under another name, then rename
    inner = save(sd, "inner_folder_name.pth")
    os.replace(inner, os.path.join(OUT, "renamed-archive.pth"))
    buffer = io.BytesIO()
    torch.save(sd, buffer)  # a buffer gets the folder name "archive"
    with open(os.path.join(OUT, "saved-to-buffer.pt"), "wb") as f:
        f.write(buffer.getvalue())

    # a .pth.tar as ImageNet training scripts write it: args namespace and numpy scalar beside
    args = argparse.Namespace(arch="tiny", lr=0.1, epochs=90, data="/imagenet")
    save({"epoch": 90, "arch": "tiny", "state_dict": sd, "best_acc1": np.float64(71.5),
          "optimizer": {"state": {}, "param_groups": []}, "args": args},
         "imagenet-style.pth.tar")

    # a whole model (torch.save(model)): its classes are refused, with a hint
    torch.manual_seed(2)
    torch.save(torch.nn.Linear(2, 2), os.path.join(OUT, "whole-model.pth"))

    # legacy (pre-1.6) format and TorchScript: both refused with a clear message
    save(collections.OrderedDict(w=torch.ones(2)), "legacy.pth",
         _use_new_zipfile_serialization=False)
    torch.jit.save(torch.jit.script(torch.nn.Linear(2, 2)), os.path.join(OUT, "torchscript.pt"))

    # hand-made hostile pickles: os.system as the whole file, as a value, and as a storage
    # class; none may be called. (GLOBAL os system; MARK; string; TUPLE; REDUCE; STOP)
    call = b"cos\nsystem\nX\x0b\x00\x00\x00echo pwned!\x85R"
    hand_made_zip("os-system.pth", b"\x80\x02" + call + b".")
    value = b"\x80\x02}q\x00(X\x01\x00\x00\x00w" + call + b"u."
    hand_made_zip("os-system-value.pth", value)
    # a tensor whose storage class is os.system (a storage may not be a foreign global)
    storage_pickle = (
        b"\x80\x02ccollections\nOrderedDict\n)R(X\x01\x00\x00\x00w"
        b"ctorch._utils\n_rebuild_tensor_v2\n((X\x07\x00\x00\x00storagecos\nsystem\n"
        b"X\x01\x00\x00\x000X\x03\x00\x00\x00cpuK\x01tQK\x00K\x01\x85K\x01\x85\x89"
        b"ccollections\nOrderedDict\n)RtRu.")
    hand_made_zip("os-system-storage.pth", storage_pickle, {"0": b"\x00\x00\x80\x3f"})
    # the same pickle with a real storage class: a valid file made by hand (control)
    hand_made_zip("hand-made-valid.pth",
                  storage_pickle.replace(b"cos\nsystem\n", b"ctorch\nFloatStorage\n"),
                  {"0": b"\x00\x00\x80\x3f"}, root="whatever")
    expected({"w": torch.tensor([1.0])}, "hand-made-valid.expected.safetensors")
    hand_made_zip("compressed.pth",
                  storage_pickle.replace(b"cos\nsystem\n", b"ctorch\nFloatStorage\n"),
                  {"0": b"\x00\x00\x80\x3f"}, compress=True)

    for f in sorted(os.listdir(OUT)):
        print("%8d  %s" % (os.path.getsize(os.path.join(OUT, f)), f))


def same(a, b):
    if a.dtype != b.dtype or tuple(a.shape) != tuple(b.shape):
        return False
    return raw_bytes(a) == raw_bytes(b)


def verify():
    reference = collections.OrderedDict()
    reference.update(dtype_tensors())
    reference.update(("views." + k, v.contiguous()) for k, v in view_tensors().items())
    ok = True
    pth = torch.load(os.path.join(OUT, "written-by-fourier4j.pth"), weights_only=True)
    st, meta = read_safetensors(os.path.join(OUT, "written-by-fourier4j.safetensors"))
    for label, loaded in (("pth (torch.load weights_only=True)", pth), ("safetensors", st)):
        if list(loaded.keys()) != list(reference.keys()) and label.startswith("pth"):
            print(label, "key order differs:", list(loaded.keys())[:5])
            ok = False
        for k, v in reference.items():
            if k not in loaded or not same(loaded[k], v):
                print(label, "differs at", k)
                ok = False
    print("pth type:", type(pth).__name__, "| safetensors metadata:", meta)
    print("verified" if ok else "MISMATCH")
    return 0 if ok else 1


if __name__ == "__main__":
    if len(sys.argv) != 2 or sys.argv[1] not in ("make", "verify"):
        print(__doc__)
        sys.exit(2)
    sys.exit(make() if sys.argv[1] == "make" else verify())
