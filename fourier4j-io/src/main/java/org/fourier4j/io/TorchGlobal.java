package org.fourier4j.io;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.razorvine.pickle.IObjectConstructor;

/**
 * A global a state dict pickle may name, and what calling it does here: each builds a plain Java
 * value (a map, a tensor reference, a tuple) from checked arguments; none loads a class or calls
 * anything outside this file. The allow-list is {@link #resolve}.
 *
 * @param kind what the global is
 * @param qualifiedName {@code module.name}
 * @param dtype the element type of a storage class or dtype, else null
 */
record TorchGlobal(Kind kind, String qualifiedName, DType dtype) implements IObjectConstructor {

    /** What the global is. */
    enum Kind {
        ORDERED_DICT,
        REBUILD_TENSOR_V2,
        REBUILD_TENSOR,
        REBUILD_PARAMETER,
        REBUILD_PARAMETER_WITH_STATE,
        REBUILD_FROM_TYPE_V2,
        STORAGE_CLASS,
        DTYPE,
        TENSOR_CLASS,
        SIZE,
        CODECS_ENCODE,
        SET
    }

    /**
     * The allowed global of that name, or null when a state dict never needs it: {@code
     * collections.OrderedDict}; {@code torch._utils._rebuild_tensor_v2}, {@code _rebuild_tensor},
     * {@code _rebuild_parameter}, {@code _rebuild_parameter_with_state}; {@code
     * torch._tensor._rebuild_from_type_v2} with {@code torch.Tensor} or {@code
     * torch.nn.parameter.Parameter}; the storage classes {@code torch.FloatStorage} ... {@code
     * torch.BoolStorage} and {@code torch.UntypedStorage} (bytes); the dtypes {@code torch.float32}
     * ...; {@code torch.Size}; {@code _codecs.encode} (protocol 2's form of bytes); {@code
     * builtins.set} and {@code builtins.frozenset}.
     */
    static TorchGlobal resolve(String module, String name) {
        String q = module + "." + name;
        switch (q) {
            case "collections.OrderedDict":
                return new TorchGlobal(Kind.ORDERED_DICT, q, null);
            case "torch._utils._rebuild_tensor_v2":
                return new TorchGlobal(Kind.REBUILD_TENSOR_V2, q, null);
            case "torch._utils._rebuild_tensor":
                return new TorchGlobal(Kind.REBUILD_TENSOR, q, null);
            case "torch._utils._rebuild_parameter":
                return new TorchGlobal(Kind.REBUILD_PARAMETER, q, null);
            case "torch._utils._rebuild_parameter_with_state":
                return new TorchGlobal(Kind.REBUILD_PARAMETER_WITH_STATE, q, null);
            case "torch._tensor._rebuild_from_type_v2":
                return new TorchGlobal(Kind.REBUILD_FROM_TYPE_V2, q, null);
            case "torch.Tensor":
            case "torch.nn.parameter.Parameter":
                return new TorchGlobal(Kind.TENSOR_CLASS, q, null);
            case "torch.Size":
                return new TorchGlobal(Kind.SIZE, q, null);
            case "torch.UntypedStorage":
            case "torch.storage.UntypedStorage":
                return new TorchGlobal(Kind.STORAGE_CLASS, q, DType.U8);
            case "_codecs.encode":
                return new TorchGlobal(Kind.CODECS_ENCODE, q, null);
            case "builtins.set":
            case "builtins.frozenset":
            case "__builtin__.set":
            case "__builtin__.frozenset":
                return new TorchGlobal(Kind.SET, q, null);
            default:
                break;
        }
        if (module.equals("torch")) {
            DType storage = DType.fromTorchStorageName(name);
            if (storage != null) {
                return new TorchGlobal(Kind.STORAGE_CLASS, q, storage);
            }
            DType dtype = DType.fromTorchName(name);
            if (dtype != null) {
                return new TorchGlobal(Kind.DTYPE, q, dtype);
            }
        }
        return null;
    }

    boolean isRebuild() {
        switch (kind) {
            case REBUILD_TENSOR_V2:
            case REBUILD_TENSOR:
            case REBUILD_PARAMETER:
            case REBUILD_PARAMETER_WITH_STATE:
            case REBUILD_FROM_TYPE_V2:
                return true;
            default:
                return false;
        }
    }

    @Override
    public Object construct(Object[] args) {
        switch (kind) {
            case ORDERED_DICT:
                return orderedDict(args);
            case REBUILD_TENSOR_V2:
                arity(args, 6, 7);
                requireHooks(args[5]);
                return TensorRef.of(args[0], args[1], args[2], args[3]);
            case REBUILD_TENSOR:
                arity(args, 4, 4);
                return TensorRef.of(args[0], args[1], args[2], args[3]);
            case REBUILD_PARAMETER:
                arity(args, 3, 3);
                requireHooks(args[2]);
                return requireTensor(args[0]);
            case REBUILD_PARAMETER_WITH_STATE:
                arity(args, 4, 4);
                requireHooks(args[2]);
                return requireTensor(args[0]);
            case REBUILD_FROM_TYPE_V2:
                return rebuildFromType(args);
            case SIZE:
                arity(args, 1, 1);
                return TensorRef.longs(args[0], "torch.Size").clone();
            case CODECS_ENCODE:
                return encode(args);
            case SET:
                return set(args);
            default:
                throw new PickleRefusal(
                        "pickle calls " + qualifiedName + ", which a state dict never does");
        }
    }

    private void arity(Object[] args, int min, int max) {
        if (args.length < min || args.length > max) {
            throw new PickleRefusal(
                    qualifiedName
                            + " is called with "
                            + args.length
                            + " arguments, expected "
                            + (min == max ? min : min + " or " + max));
        }
    }

    private void requireHooks(Object hooks) {
        if (hooks != null && !(hooks instanceof Map)) {
            throw new PickleRefusal(
                    qualifiedName
                            + " gets backward hooks that are a "
                            + typeName(hooks)
                            + ", not a dict");
        }
    }

    private Object requireTensor(Object data) {
        if (!(data instanceof TensorRef)) {
            throw new PickleRefusal(
                    qualifiedName + " gets a " + typeName(data) + " instead of a tensor");
        }
        return data;
    }

    private Object rebuildFromType(Object[] args) {
        arity(args, 4, 4);
        if (!(args[0] instanceof TorchGlobal) || !((TorchGlobal) args[0]).isRebuild()) {
            throw new PickleRefusal(
                    qualifiedName
                            + " gets the function "
                            + typeName(args[0])
                            + ", not a tensor rebuild function");
        }
        if (!(args[1] instanceof TorchGlobal)
                || ((TorchGlobal) args[1]).kind() != Kind.TENSOR_CLASS) {
            throw new PickleRefusal(
                    qualifiedName
                            + " rebuilds a "
                            + typeName(args[1])
                            + ", not torch.Tensor or torch.nn.Parameter");
        }
        if (!(args[2] instanceof Object[])) {
            throw new PickleRefusal(qualifiedName + " gets arguments that are not a tuple");
        }
        return requireTensor(((TorchGlobal) args[0]).construct((Object[]) args[2]));
    }

    private Object orderedDict(Object[] args) {
        arity(args, 0, 1);
        Map<Object, Object> map = new LinkedHashMap<>();
        if (args.length == 1 && args[0] != null) {
            if (!(args[0] instanceof List)) {
                throw new PickleRefusal("collections.OrderedDict gets a " + typeName(args[0]));
            }
            for (Object item : (List<?>) args[0]) {
                Object[] pair = item instanceof Object[] ? (Object[]) item : null;
                if (pair == null && item instanceof List && ((List<?>) item).size() == 2) {
                    pair = ((List<?>) item).toArray();
                }
                if (pair == null || pair.length != 2) {
                    throw new PickleRefusal(
                            "collections.OrderedDict gets an item that is not a pair");
                }
                TorchUnpickler.checkHashable(pair[0]);
                map.put(pair[0], pair[1]);
            }
        }
        return map;
    }

    private Object encode(Object[] args) {
        arity(args, 1, 2);
        if (!(args[0] instanceof String)) {
            throw new PickleRefusal("_codecs.encode gets a " + typeName(args[0]));
        }
        String encoding = args.length == 2 ? String.valueOf(args[1]) : "utf-8";
        switch (encoding) {
            case "latin1":
            case "latin-1":
            case "iso-8859-1":
                return ((String) args[0]).getBytes(StandardCharsets.ISO_8859_1);
            case "utf-8":
            case "utf8":
                return ((String) args[0]).getBytes(StandardCharsets.UTF_8);
            default:
                throw new PickleRefusal(
                        "_codecs.encode with the encoding " + Describe.name(encoding));
        }
    }

    private Object set(Object[] args) {
        arity(args, 0, 1);
        Set<Object> set = new LinkedHashSet<>();
        if (args.length == 1) {
            Iterable<?> items;
            if (args[0] instanceof List) {
                items = (List<?>) args[0];
            } else if (args[0] instanceof Object[]) {
                items = Arrays.asList((Object[]) args[0]);
            } else {
                throw new PickleRefusal(qualifiedName + " gets a " + typeName(args[0]));
            }
            for (Object item : items) {
                TorchUnpickler.checkHashable(item);
                set.add(item);
            }
        }
        return set;
    }

    /** A Python-like type name of an unpickled value, for messages (never its content). */
    static String typeName(Object o) {
        if (o == null) {
            return "None";
        } else if (o instanceof String) {
            return "str";
        } else if (o instanceof Boolean) {
            return "bool";
        } else if (o instanceof Number) {
            return o instanceof Double ? "float" : "int";
        } else if (o instanceof Object[]) {
            return "tuple";
        } else if (o instanceof List) {
            return "list";
        } else if (o instanceof Map) {
            return "dict";
        } else if (o instanceof Set) {
            return "set";
        } else if (o instanceof byte[]) {
            return "bytes";
        } else if (o instanceof TorchGlobal) {
            return ((TorchGlobal) o).qualifiedName();
        } else if (o instanceof Placeholder) {
            return o.toString();
        } else if (o instanceof TensorRef) {
            return "tensor";
        } else if (o instanceof StorageRef) {
            return "storage";
        }
        return o.getClass().getSimpleName();
    }

    @Override
    public String toString() {
        return qualifiedName;
    }
}
