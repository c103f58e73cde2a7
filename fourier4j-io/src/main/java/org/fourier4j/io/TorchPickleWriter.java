package org.fourier4j.io;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes the {@code data.pkl} of a torch.save archive holding an OrderedDict of tensors, with the
 * pickle protocol 2 opcodes torch's own pickler emits (razorvine's Pickler cannot write the
 * persistent ids that point a tensor at its storage entry):
 *
 * <pre>
 * OrderedDict()                       GLOBAL collections OrderedDict, EMPTY_TUPLE, REDUCE
 * { name: tensor, ... }               MARK, (BINUNICODE name, tensor)*, SETITEMS (per 1000)
 * tensor = _rebuild_tensor_v2(        GLOBAL torch._utils _rebuild_tensor_v2, MARK,
 *     storage,                          MARK 'storage' GLOBAL torch FloatStorage 'i' 'cpu' numel
 *                                       TUPLE, BINPERSID
 *     0, size, stride,                  ints and tuples
 *     False, OrderedDict())             NEWFALSE, GLOBAL OrderedDict EMPTY_TUPLE REDUCE
 *                                     TUPLE, REDUCE
 * </pre>
 *
 * Storage {@code i} (the i-th tensor) is the entry {@code data/i}. Globals and the constant strings
 * are memoized (BINPUT/BINGET) as torch does.
 */
final class TorchPickleWriter {
    private static final int BATCH = 1000;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final Map<String, Integer> memo = new HashMap<>();

    private TorchPickleWriter() {}

    static byte[] stateDict(List<? extends TensorData> tensors) {
        Set<String> names = new HashSet<>();
        for (TensorData t : tensors) {
            if (!names.add(t.name())) {
                throw new IllegalArgumentException("two tensors are named '" + t.name() + "'");
            }
        }
        TorchPickleWriter w = new TorchPickleWriter();
        w.op(0x80).op(2);
        w.global("collections", "OrderedDict").op(')').op('R');
        for (int start = 0; start < tensors.size(); start += BATCH) {
            w.op('(');
            for (int i = start; i < Math.min(tensors.size(), start + BATCH); i++) {
                w.string(tensors.get(i).name());
                w.tensor(tensors.get(i), Integer.toString(i));
            }
            w.op('u');
        }
        w.op('.');
        return w.out.toByteArray();
    }

    private void tensor(TensorData t, String key) {
        global("torch._utils", "_rebuild_tensor_v2");
        op('(');
        op('(');
        memoString("storage");
        global("torch", t.dtype().torchStorageName());
        string(key);
        memoString("cpu");
        integer(t.numel());
        op('t');
        op('Q');
        integer(0);
        long[] shape = t.shape();
        long[] stride = new long[shape.length];
        long s = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            stride[i] = s;
            s *= Math.max(shape[i], 1);
        }
        tuple(shape);
        tuple(stride);
        op(0x89);
        global("collections", "OrderedDict").op(')').op('R');
        op('t');
        op('R');
    }

    private TorchPickleWriter op(int code) {
        out.write(code);
        return this;
    }

    private TorchPickleWriter global(String module, String name) {
        String line = "c" + module + "\n" + name + "\n";
        if (!recall(line)) {
            out.writeBytes(line.getBytes(StandardCharsets.UTF_8));
            remember(line);
        }
        return this;
    }

    private void memoString(String s) {
        String key = "X" + s;
        if (!recall(key)) {
            string(s);
            remember(key);
        }
    }

    private boolean recall(String key) {
        Integer index = memo.get(key);
        if (index == null) {
            return false;
        }
        if (index < 256) {
            op('h').op(index);
        } else {
            op('j');
            int32(index);
        }
        return true;
    }

    private void remember(String key) {
        int index = memo.size();
        memo.put(key, index);
        if (index < 256) {
            op('q').op(index);
        } else {
            op('r');
            int32(index);
        }
    }

    private void string(String s) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        op('X');
        int32(utf8.length);
        out.writeBytes(utf8);
    }

    private void tuple(long[] values) {
        if (values.length == 0) {
            op(')');
            return;
        }
        if (values.length > 3) {
            op('(');
        }
        for (long v : values) {
            integer(v);
        }
        op(values.length == 1 ? 0x85 : values.length == 2 ? 0x86 : values.length == 3 ? 0x87 : 't');
    }

    /** Python's save_long for protocol 2: BININT1, BININT2, BININT, else LONG1. */
    private void integer(long v) {
        if (v >= 0 && v <= 0xff) {
            op('K').op((int) v);
        } else if (v >= 0 && v <= 0xffff) {
            op('M').op((int) (v & 0xff)).op((int) (v >>> 8));
        } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            op('J');
            int32((int) v);
        } else {
            byte[] le = new byte[8];
            for (int i = 0; i < 8; i++) {
                le[i] = (byte) (v >>> (8 * i));
            }
            int n = 8;
            // drop redundant sign bytes, as Python's encode_long does
            while (n > 1
                    && ((le[n - 1] == 0 && le[n - 2] >= 0) || (le[n - 1] == -1 && le[n - 2] < 0))) {
                n--;
            }
            op(0x8a).op(n);
            out.write(le, 0, n);
        }
    }

    private void int32(int v) {
        op(v & 0xff).op((v >>> 8) & 0xff).op((v >>> 16) & 0xff).op((v >>> 24) & 0xff);
    }
}
