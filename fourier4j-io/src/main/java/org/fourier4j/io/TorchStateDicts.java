package org.fourier4j.io;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Finds the state dict in an unpickled checkpoint (see {@link TorchCheckpoint}). */
final class TorchStateDicts {
    private static final String MODULE_PREFIX = "module.";
    private static final int MAX_METADATA_VALUE = 1000;

    /** Metadata keys the reader sets itself; a wrapper's scalar of that name is left out. */
    private static final Set<String> RESERVED =
            Set.of("archive", "version", "entry", "stripped_prefix", "placeholders");

    private TorchStateDicts() {}

    /** The tensors by name and what was found about the wrapper. */
    record Selection(Map<String, TensorRef> tensors, Map<String, String> metadata) {}

    static Selection select(Path path, Object top, String entry, boolean stripPrefix)
            throws WeightFileException {
        if (!(top instanceof Map)) {
            String hint =
                    top instanceof Placeholder
                            ? TorchUnpickler.wholeModelHint(((Placeholder) top).global())
                            : "";
            throw new WeightFileException(
                    path,
                    "the pickle holds a " + TorchGlobal.typeName(top) + ", not a dict" + hint);
        }
        Map<?, ?> dict = (Map<?, ?>) top;
        Map<String, String> metadata = new LinkedHashMap<>();
        Map<String, TensorRef> tensors;
        if (entry != null) {
            if (!dict.containsKey(entry)) {
                throw new WeightFileException(
                        path,
                        "the checkpoint has no entry "
                                + Describe.name(entry)
                                + " (its keys: "
                                + keys(dict)
                                + ")");
            }
            tensors = stateDict(path, dict.get(entry), "entry " + Describe.name(entry));
            metadata.put("entry", entry);
        } else if (isStateDict(dict)
                || dict.isEmpty()
                || !dict.values().stream().anyMatch(v -> v instanceof Map)) {
            // a bare state dict, or a flat dict that is no wrapper: name what is not a tensor
            tensors = stateDict(path, dict, "the state dict");
        } else {
            String found = null;
            for (String key : TorchCheckpoint.WRAPPER_KEYS) {
                if (dict.get(key) instanceof Map && isStateDict((Map<?, ?>) dict.get(key))) {
                    found = key;
                    break;
                }
            }
            if (found == null) {
                List<Object> candidates = new ArrayList<>();
                for (Map.Entry<?, ?> e : dict.entrySet()) {
                    if (e.getValue() instanceof Map && isStateDict((Map<?, ?>) e.getValue())) {
                        candidates.add(e.getKey());
                    }
                }
                if (candidates.size() != 1 || !(candidates.get(0) instanceof String)) {
                    throw new WeightFileException(
                            path,
                            "no state dict found: the top-level dict has the keys "
                                    + keys(dict)
                                    + "; name the one to read"
                                    + " (TorchCheckpoint.read(path, entry))");
                }
                found = (String) candidates.get(0);
            }
            tensors = stateDict(path, dict.get(found), "entry " + Describe.name(found));
            metadata.put("entry", found);
        }
        if (!metadata.isEmpty()) {
            scalars(dict, metadata);
        }
        if (stripPrefix
                && !tensors.isEmpty()
                && tensors.keySet().stream().allMatch(k -> k.startsWith(MODULE_PREFIX))) {
            Map<String, TensorRef> stripped = new LinkedHashMap<>();
            for (Map.Entry<String, TensorRef> e : tensors.entrySet()) {
                String name = e.getKey().substring(MODULE_PREFIX.length());
                if (stripped.put(name, e.getValue()) != null) {
                    throw new WeightFileException(
                            path, "removing 'module.' makes two tensors " + Describe.name(name));
                }
            }
            tensors = stripped;
            metadata.put("stripped_prefix", MODULE_PREFIX);
        }
        return new Selection(tensors, metadata);
    }

    /** A non-empty dict of string keys and tensor values. */
    private static boolean isStateDict(Map<?, ?> dict) {
        if (dict.isEmpty()) {
            return false;
        }
        for (Map.Entry<?, ?> e : dict.entrySet()) {
            if (!(e.getKey() instanceof String) || !(e.getValue() instanceof TensorRef)) {
                return false;
            }
        }
        return true;
    }

    private static Map<String, TensorRef> stateDict(Path path, Object value, String what)
            throws WeightFileException {
        if (!(value instanceof Map)) {
            throw new WeightFileException(
                    path, what + " is a " + TorchGlobal.typeName(value) + ", not a state dict");
        }
        Map<String, TensorRef> tensors = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
            if (!(e.getKey() instanceof String)) {
                throw new WeightFileException(
                        path,
                        what
                                + " has a key that is a "
                                + TorchGlobal.typeName(e.getKey())
                                + ", not a string");
            }
            if (!(e.getValue() instanceof TensorRef)) {
                throw new WeightFileException(
                        path,
                        what
                                + " holds "
                                + Describe.name((String) e.getKey())
                                + ", a "
                                + TorchGlobal.typeName(e.getValue())
                                + " rather than a tensor");
            }
            tensors.put((String) e.getKey(), (TensorRef) e.getValue());
        }
        return tensors;
    }

    /** The wrapper's plain scalar entries (epoch, best accuracy, arch name...). */
    private static void scalars(Map<?, ?> dict, Map<String, String> metadata) {
        for (Map.Entry<?, ?> e : dict.entrySet()) {
            Object v = e.getValue();
            if (e.getKey() instanceof String
                    && !RESERVED.contains(e.getKey())
                    && (v instanceof String || v instanceof Number || v instanceof Boolean)) {
                String text = String.valueOf(v);
                if (text.length() <= MAX_METADATA_VALUE) {
                    metadata.put((String) e.getKey(), text);
                }
            }
        }
    }

    private static String keys(Map<?, ?> dict) {
        List<String> names = new ArrayList<>();
        for (Object k : dict.keySet()) {
            if (names.size() == 20) {
                names.add("... (" + dict.size() + " keys)");
                break;
            }
            names.add(k instanceof String ? Describe.name((String) k) : TorchGlobal.typeName(k));
        }
        return names.toString();
    }
}
