package org.fourier4j.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import org.fourier4j.files.AtomicFiles;

/**
 * Reads and writes PyTorch {@code torch.save} files ({@code .pth}, {@code .pt}, {@code .bin},
 * {@code .pth.tar}) in the zip format of torch 1.6 and newer, without Python and without ever
 * executing anything from the file.
 *
 * <p><b>The pickle.</b> {@code ARCHIVE/data.pkl} is read with razorvine's unpickler restricted to
 * the globals a state dict needs: {@code collections.OrderedDict}, torch's tensor and parameter
 * rebuild functions ({@code torch._utils._rebuild_tensor_v2}, {@code _rebuild_tensor}, {@code
 * _rebuild_parameter}, {@code _rebuild_parameter_with_state}, {@code
 * torch._tensor._rebuild_from_type_v2}), the storage classes ({@code torch.FloatStorage} ... {@code
 * torch.BoolStorage}, {@code torch.UntypedStorage}), the dtypes, {@code torch.Size}, {@code
 * _codecs.encode}, {@code builtins.set}/{@code frozenset}. Each is mapped to a small Java function
 * of this library; nothing is looked up by name in Java or Python, no class is loaded, no method is
 * called reflectively.
 *
 * <p>By default a pickle naming any other global is refused with its name ({@code model.pth: pickle
 * names the global 'os.system', which a state dict never needs}). Many real checkpoints keep such
 * objects <em>beside</em> the weights (an {@code argparse.Namespace} of training arguments in a
 * {@code .pth.tar}, numpy scalars for the best accuracy): {@link
 * Options#foreignObjectsAsPlaceholders(boolean)} reads them as inert placeholders that record only
 * the global's name and are never called. A placeholder can never become a tensor or a state-dict
 * entry: rebuild functions refuse it as an argument and the chosen state dict must hold tensors
 * only, so the weights read are the same as with the default mode. The globals that were replaced
 * are listed in the metadata under {@code placeholders}.
 *
 * <p><b>The state dict.</b> The pickle may be a bare state dict (a dict of tensors) or a dict that
 * wraps one. Unless {@link Options#entry(String)} names the key, the first of {@code model}, {@code
 * state_dict}, {@code model_state_dict}, {@code module}, {@code model_ema}, {@code state_dict_ema}
 * whose value is a dict of tensors is taken (so the EMA weights only when there are no others),
 * else the only top-level value that is a dict of tensors. When every key starts with {@code
 * module.} (DataParallel), the prefix is removed (see {@link Options#stripModulePrefix(boolean)}).
 *
 * <p><b>Tensors</b> point at a storage entry {@code ARCHIVE/data/<key>} with an offset, sizes and
 * strides; these are checked against the entry when the pickle is read (a view must lie inside its
 * storage and hold no more elements than it), and the bytes are read on demand, gathered into
 * row-major order for transposed views and tensors that share a storage.
 */
public final class TorchCheckpoint {
    /** Wrapper keys tried in this order when no entry is named. */
    static final List<String> WRAPPER_KEYS =
            List.of(
                    "model",
                    "state_dict",
                    "model_state_dict",
                    "module",
                    "model_ema",
                    "state_dict_ema");

    private TorchCheckpoint() {}

    /**
     * How to read a checkpoint. Immutable; start from {@link #defaults()}.
     *
     * @param entry the key of the top-level dict that holds the state dict, or null to find it
     * @param placeholders whether foreign globals become placeholders instead of refusing the file
     * @param stripModulePrefix whether DataParallel's {@code module.} prefix is removed
     */
    public record Options(String entry, boolean placeholders, boolean stripModulePrefix) {
        private static final Options DEFAULTS = new Options(null, false, true);

        /** The state dict found automatically, foreign globals refused, {@code module.} removed. */
        public static Options defaults() {
            return DEFAULTS;
        }

        /** Take the state dict from this key of the top-level dict (null: find it). */
        public Options entry(String key) {
            return new Options(key, placeholders, stripModulePrefix);
        }

        /**
         * Whether globals outside the allow-list become inert placeholders (only outside the state
         * dict: a placeholder can never be a tensor) instead of refusing the file.
         */
        public Options foreignObjectsAsPlaceholders(boolean on) {
            return new Options(entry, on, stripModulePrefix);
        }

        /** Whether DataParallel's {@code module.} prefix is removed when every key has it. */
        public Options stripModulePrefix(boolean on) {
            return new Options(entry, placeholders, on);
        }
    }

    /** Reads with {@link Options#defaults()}. */
    public static StateDict read(Path path) throws IOException {
        return read(path, Options.defaults());
    }

    /** Reads the state dict held under {@code entry} (e.g. {@code "model_ema"}). */
    public static StateDict read(Path path, String entry) throws IOException {
        return read(path, Options.defaults().entry(entry));
    }

    /** Opens a torch.save file, checks its pickle and tensors and returns them, unread. */
    public static StateDict read(Path path, Options options) throws IOException {
        FileSource source = FileSource.open(path);
        try {
            StateDict weights = read(path, source, options);
            source = null;
            return weights;
        } finally {
            if (source != null) {
                source.close();
            }
        }
    }

    private static StateDict read(Path path, FileSource source, Options options)
            throws IOException {
        TorchArchive archive = TorchArchive.open(path, source);
        if (archive.pickle.length() > TensorData.MAX_BUFFER) {
            throw new WeightFileException(
                    path,
                    "data.pkl has " + archive.pickle.length() + " bytes, too many to unpickle");
        }
        byte[] pickle = new byte[(int) archive.pickle.length()];
        source.read(archive.pickle.offset(), ByteBuffer.wrap(pickle), "data.pkl");
        CRC32 crc = new CRC32();
        crc.update(pickle);
        if (crc.getValue() != archive.pickle.crc()) {
            throw new WeightFileException(
                    path, "data.pkl fails its CRC-32 check: the file is corrupt");
        }
        return fromPickle(path, source, archive, pickle, options);
    }

    /** The state dict of an archive whose data.pkl is {@code pickle} (read and CRC-checked). */
    static StateDict fromPickle(
            Path path, FileSource source, TorchArchive archive, byte[] pickle, Options options)
            throws WeightFileException {
        TorchUnpickler unpickler =
                new TorchUnpickler(
                        options.placeholders,
                        key -> {
                            TorchArchive.Region r = archive.storages.get(key);
                            return r == null ? -1 : r.length();
                        });
        Object top;
        try {
            top = unpickler.read(pickle);
        } catch (PickleRefusal e) {
            throw new WeightFileException(path, e.getMessage());
        } catch (IOException | RuntimeException e) {
            throw new WeightFileException(
                    path,
                    "data.pkl is not a valid pickle (at byte "
                            + unpickler.position(pickle)
                            + "): "
                            + (e.getMessage() == null
                                    ? e.getClass().getSimpleName()
                                    : e.getMessage()),
                    e);
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("archive", archive.root);
        if (archive.version != null) {
            metadata.put("version", archive.version);
        }
        TorchStateDicts.Selection selection =
                TorchStateDicts.select(path, top, options.entry, options.stripModulePrefix);
        metadata.putAll(selection.metadata());
        if (!unpickler.placeholderGlobals().isEmpty()) {
            metadata.put("placeholders", String.join(",", unpickler.placeholderGlobals()));
        }
        Map<String, TensorData> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, TensorRef> e : selection.tensors().entrySet()) {
            TensorRef t = e.getValue();
            TorchArchive.Region storage = archive.storages.get(t.storage.key());
            long byteOffset = storage.offset() + t.offset * t.storage.dtype().byteSize();
            tensors.put(
                    e.getKey(),
                    new StoredTensor(
                            e.getKey(), t.storage.dtype(), t.size, source, byteOffset, t.stride));
        }
        return new StateDict(tensors, metadata, WeightFormat.TORCH_ZIP, path, source);
    }

    /**
     * Writes {@code tensors} as a torch.save file that {@code torch.load} (torch 1.13 and newer,
     * also with {@code weights_only=True}) reads as an OrderedDict of tensors with their dtypes, in
     * the given order: archive folder {@code archive}, one uncompressed storage entry per tensor
     * aligned to 64 bytes, pickle protocol 2 as torch writes it. Atomic like {@link
     * Safetensors#write}.
     *
     * @throws IllegalArgumentException when two tensors have the same name
     */
    public static void write(Path path, Collection<? extends TensorData> tensors)
            throws IOException {
        List<TensorData> list = new ArrayList<>(tensors);
        byte[] pickle = TorchPickleWriter.stateDict(list);
        AtomicFiles.writeChannel(path, channel -> TorchZipWriter.write(channel, pickle, list));
    }
}
