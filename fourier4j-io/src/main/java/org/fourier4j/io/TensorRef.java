package org.fourier4j.io;

import java.math.BigInteger;
import java.util.List;

/**
 * A tensor of a torch.save pickle: a view (offset, sizes, strides in elements) of a storage,
 * checked when it is built so that reading it later stays inside the storage and never needs more
 * bytes than the storage holds.
 */
final class TensorRef {
    final StorageRef storage;
    final long offset;
    final long[] size;
    final long[] stride;

    private TensorRef(StorageRef storage, long offset, long[] size, long[] stride) {
        this.storage = storage;
        this.offset = offset;
        this.size = size;
        this.stride = stride;
    }

    /** {@code " has size (2, 3) and stride (3, 1)"}, for messages. */
    private static String layout(long[] size, long[] stride) {
        return " has size " + Describe.shape(size) + " and stride " + Describe.shape(stride);
    }

    /** {@code _rebuild_tensor_v2(storage, storage_offset, size, stride, ...)}'s checks. */
    static TensorRef of(Object storageArg, Object offsetArg, Object sizeArg, Object strideArg) {
        if (!(storageArg instanceof StorageRef)) {
            throw new PickleRefusal(
                    "a tensor is rebuilt from a "
                            + TorchGlobal.typeName(storageArg)
                            + " instead of a storage");
        }
        StorageRef storage = (StorageRef) storageArg;
        long offset = toLong(offsetArg, "a storage offset");
        long[] size = longs(sizeArg, "a tensor size");
        long[] stride = longs(strideArg, "a tensor stride");
        String what = "a tensor of storage " + Describe.name(storage.key());
        if (size.length != stride.length) {
            throw new PickleRefusal(
                    what + " has " + size.length + " sizes but " + stride.length + " strides");
        }
        if (offset < 0) {
            throw new PickleRefusal(what + " has the negative offset " + offset);
        }
        long numel = 1;
        long last = offset;
        try {
            for (int i = 0; i < size.length; i++) {
                if (size[i] < 0 || stride[i] < 0) {
                    throw new PickleRefusal(
                            what + layout(size, stride) + " with a negative number");
                }
                numel = Math.multiplyExact(numel, size[i]);
                if (size[i] > 0) {
                    last = Math.addExact(last, Math.multiplyExact(size[i] - 1, stride[i]));
                }
            }
        } catch (ArithmeticException e) {
            throw new PickleRefusal(what + layout(size, stride) + " whose extent overflows");
        }
        if (numel > 0 && last >= storage.numel()) {
            throw new PickleRefusal(
                    what
                            + " reaches element "
                            + last
                            + " but the storage holds "
                            + storage.numel());
        }
        if (numel > storage.numel()) {
            throw new PickleRefusal(
                    what
                            + " has "
                            + numel
                            + " elements but its storage holds "
                            + storage.numel()
                            + " (broadcast views are not supported)");
        }
        return new TensorRef(storage, offset, size, stride);
    }

    static long toLong(Object o, String what) {
        if (o instanceof Integer || o instanceof Long || o instanceof Short || o instanceof Byte) {
            return ((Number) o).longValue();
        }
        if (o instanceof BigInteger) {
            throw new PickleRefusal(what + " does not fit 64 bits");
        }
        throw new PickleRefusal(what + " is a " + TorchGlobal.typeName(o) + ", not an int");
    }

    static long[] longs(Object o, String what) {
        Object[] items;
        if (o instanceof Object[]) {
            items = (Object[]) o;
        } else if (o instanceof List) {
            items = ((List<?>) o).toArray();
        } else if (o instanceof long[]) {
            return (long[]) o;
        } else {
            throw new PickleRefusal(what + " is a " + TorchGlobal.typeName(o) + ", not a tuple");
        }
        long[] values = new long[items.length];
        for (int i = 0; i < items.length; i++) {
            values[i] = toLong(items[i], what);
        }
        return values;
    }
}
