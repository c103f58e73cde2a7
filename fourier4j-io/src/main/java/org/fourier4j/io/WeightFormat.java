package org.fourier4j.io;

/** The weight file formats fourier4j reads and writes. */
public enum WeightFormat {
    /**
     * Hugging Face safetensors: an 8-byte little-endian header length, a JSON header, raw
     * little-endian tensor data (https://github.com/huggingface/safetensors).
     */
    SAFETENSORS,
    /**
     * PyTorch's {@code torch.save} zip format (torch 1.6 and newer): {@code ARCHIVE/data.pkl}, a
     * pickle whose tensors point at the raw storages {@code ARCHIVE/data/<key>}.
     */
    TORCH_ZIP
}
